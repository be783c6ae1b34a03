using System.Globalization;
using CrmIntegration.Application.Common.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Telemetry;

/// <summary>
/// The operators' summary behind <c>/health/status</c>: Degraded, naming each reason, when the callback inbox or the
/// notification outbox holds work older than <see cref="HealthOptions.MaxBacklogAge"/>, when dead or failed
/// letters wait for an admin, or when this instance's last sync run failed. Never Unhealthy: the load balancer's
/// gate is <c>/health/ready</c>; a backlog is a reason to look, not to take the instance out.
/// </summary>
internal sealed class OperationsHealthCheck(IOperationsProbe probe, CrmMetrics metrics, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = await probe.ReadFreshAsync(cancellationToken);
        var maxAge = options.Value.MaxBacklogAge.TotalSeconds;
        var reasons = new List<string>();
        if (s.InboxOldestAgeSeconds > maxAge)
        {
            reasons.Add($"callback inbox: oldest unprocessed callback is {Seconds(s.InboxOldestAgeSeconds)} old ({s.InboxBacklog} waiting)");
        }

        if (s.InboxFailed > 0)
        {
            reasons.Add($"callback inbox: {s.InboxFailed} failed callback(s) wait for an admin retry");
        }

        if (s.NotificationOldestAgeSeconds > maxAge)
        {
            reasons.Add($"notification outbox: oldest pending notification is {Seconds(s.NotificationOldestAgeSeconds)} old ({s.NotificationBacklog} waiting)");
        }

        if (s.NotificationsDead > 0)
        {
            reasons.Add($"notification outbox: {s.NotificationsDead} dead notification(s) wait for an admin retry");
        }

        if (metrics.LastSyncResult == CrmMetrics.SyncResults.Failed)
        {
            reasons.Add("approval sync: the last run on this instance failed");
        }

        var data = new Dictionary<string, object>
        {
            ["inboxBacklog"] = s.InboxBacklog,
            ["inboxOldestAgeSeconds"] = s.InboxOldestAgeSeconds,
            ["inboxFailed"] = s.InboxFailed,
            ["notificationBacklog"] = s.NotificationBacklog,
            ["notificationOldestAgeSeconds"] = s.NotificationOldestAgeSeconds,
            ["notificationsDead"] = s.NotificationsDead,
            ["notificationsUnconfirmed"] = s.NotificationsUnconfirmed,
            ["lastSyncResult"] = metrics.LastSyncResult ?? "none",
            ["lastSyncSuccess"] = metrics.LastSyncSuccess?.ToString("O", CultureInfo.InvariantCulture) ?? "none",
        };
        return reasons.Count == 0
            ? HealthCheckResult.Healthy("Backlogs are fresh, no dead letters, the last sync did not fail.", data)
            : HealthCheckResult.Degraded(string.Join("; ", reasons), data: data);
    }

    private static string Seconds(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds)).ToString("c", CultureInfo.InvariantCulture);
}
