using System.Diagnostics.Metrics;
using CrmIntegration.Application.Common.Telemetry;
using Microsoft.Extensions.Hosting;

namespace CrmIntegration.Infrastructure.Telemetry;

/// <summary>
/// The backlog gauges of the <see cref="CrmMetrics.MeterName"/> meter, read from the database through
/// <see cref="IOperationsProbe"/> when a scrape or an export asks. A hosted service only so that it exists from start-up.
/// </summary>
internal sealed class BacklogMetrics : IHostedService
{
    public BacklogMetrics(IMeterFactory meters, IOperationsProbe probe)
    {
        var meter = meters.Create(CrmMetrics.MeterName);
        meter.CreateObservableGauge("crm.wecom.inbox.backlog", () => probe.Read().InboxBacklog,
            description: "Callbacks received and not yet processed (all instances).");
        meter.CreateObservableGauge("crm.wecom.inbox.oldest_age", () => probe.Read().InboxOldestAgeSeconds, unit: "s",
            description: "Age of the oldest callback received and not yet processed; 0 when none.");
        meter.CreateObservableGauge("crm.notifications.backlog", () => probe.Read().NotificationBacklog,
            description: "Notifications waiting to be sent (pending, all instances).");
        meter.CreateObservableGauge("crm.notifications.oldest_age", () => probe.Read().NotificationOldestAgeSeconds, unit: "s",
            description: "Age of the oldest pending notification; 0 when none.");
        meter.CreateObservableGauge("crm.notifications.dead", () => probe.Read().NotificationsDead,
            description: "Notifications that ran out of attempts (dead), waiting for an admin.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
