namespace CrmIntegration.Api.Http;

/// <summary>Section "OpenApi": <c>/openapi/v1.json</c> and <c>/scalar</c>.</summary>
internal sealed class OpenApiOptions
{
    public const string Section = "OpenApi";

    /// <summary>Serve the document and the Scalar UI; unset: in Development only.</summary>
    public bool? Enabled { get; set; }

    public bool IsEnabledIn(IHostEnvironment environment) => Enabled ?? environment.IsDevelopment();
}
