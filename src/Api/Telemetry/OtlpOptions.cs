namespace CrmIntegration.Api.Telemetry;

/// <summary>
/// The standard OpenTelemetry environment variables this service reads itself (top-level keys, not a section); the
/// exporter reads the other <c>OTEL_*</c> variables on its own.
/// </summary>
internal sealed class OtlpOptions
{
    public const string DefaultServiceName = "crm-integration";

    /// <summary>Export traces and metrics over OTLP to this collector; unset: no OTLP export.</summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? Endpoint { get; set; }

    [ConfigurationKeyName("OTEL_SERVICE_NAME")]
    public string ServiceName { get; set; } = DefaultServiceName;

    public bool ExportEnabled => !string.IsNullOrWhiteSpace(Endpoint);
}
