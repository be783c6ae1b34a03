using Microsoft.Extensions.DependencyInjection;
using Polly.Telemetry;

namespace CrmIntegration.Infrastructure.Common;

/// <summary>
/// The partners' HTTP pipelines log through Polly's telemetry, which reports a timeout and an opening circuit at
/// Error. Those are WeCom's or WeChat's failures, already counted (<c>crm_wecom_api_calls_total</c>) and handled by
/// the caller (a retry, the outbox, the sync's next run): Warning, so Error stays a fault of ours (ADR-14).
/// </summary>
internal static class PartnerCallTelemetry
{
    public static IServiceCollection AddPartnerCallTelemetry(this IServiceCollection services) =>
        services.Configure<TelemetryOptions>(o => o.SeverityProvider = args => Severity(args.Event));

    internal static ResilienceEventSeverity Severity(ResilienceEvent resilienceEvent) =>
        resilienceEvent.Severity == ResilienceEventSeverity.Error || resilienceEvent.Severity == ResilienceEventSeverity.Critical
            ? ResilienceEventSeverity.Warning
            : resilienceEvent.Severity;
}
