namespace CrmIntegration.Api.Http;

/// <summary>Section "Cors": the browser origins allowed to call /api (none by default).</summary>
internal sealed class CrossOriginOptions
{
    public const string Section = "Cors";

    /// <summary>Scheme, host and port, no path: <c>https://crm.example.com</c>.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
