namespace CrmIntegration.Api.Telemetry;

/// <summary>Section "Telemetry:Prometheus": <c>GET /metrics</c>.</summary>
internal sealed class PrometheusOptions
{
    public const string Section = "Telemetry:Prometheus";

    public bool Enabled { get; set; } = true;

    /// <summary>An authorization policy (e.g. "Admin") in front of <c>/metrics</c>; unset: anonymous (keep the port private).</summary>
    public string? Policy { get; set; }
}
