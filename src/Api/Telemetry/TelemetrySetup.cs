using CrmIntegration.Application.Common.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CrmIntegration.Api.Telemetry;

/// <summary>
/// OpenTelemetry (ADR-15): traces of ASP.NET Core, HttpClient (WeCom, WeChat) and EF Core, only when exported over OTLP; metrics of the
/// service's <see cref="CrmMetrics"/> meter, ASP.NET Core, Kestrel, HttpClient and the runtime. Exported over OTLP
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (<see cref="OtlpOptions"/>), and for Prometheus at <c>GET /metrics</c>
/// unless <c>Telemetry:Prometheus:Enabled</c> is false (<see cref="PrometheusOptions"/>).
/// </summary>
internal static class TelemetrySetup
{
    public static IServiceCollection AddCrmTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // Read now: they decide which exporters are registered.
        var otlpOptions = configuration.Get<OtlpOptions>() ?? new OtlpOptions();
        var otlp = otlpOptions.ExportEnabled;
        services.AddOptions<PrometheusOptions>().BindConfiguration(PrometheusOptions.Section);
        var prometheus = (configuration.GetSection(PrometheusOptions.Section).Get<PrometheusOptions>() ?? new PrometheusOptions()).Enabled;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(otlpOptions.ServiceName,
                serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()));
        if (otlp)
        {
            // Traced only when the spans go somewhere: without an exporter every request and every EF command would
            // still build, tag and drop a span (about 15 % of the service's CPU per callback applied, ADR-15). Log lines keep
            // their trace ids either way: ASP.NET Core starts each request's activity for logging, traceparent included.
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperationalPath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter());
        }

        telemetry
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(CrmMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in the Prometheus text format: anonymous by default (scrapers rarely carry tokens; keep the
    /// port private), behind <c>Telemetry:Prometheus:Policy</c> (e.g. "Admin") when set, absent when disabled.
    /// </summary>
    public static IEndpointRouteBuilder MapCrmMetrics(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<PrometheusOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var endpoint = app.MapPrometheusScrapingEndpoint("/metrics");
        if (options.Policy is { Length: > 0 } policy)
        {
            endpoint.RequireAuthorization(policy);
        }
        else
        {
            endpoint.AllowAnonymous();
        }

        return app;
    }

    /// <summary>Probes and scrapes are not traced: they would drown the traces that matter.</summary>
    public static bool IsOperationalPath(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
