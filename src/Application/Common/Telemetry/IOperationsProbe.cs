namespace CrmIntegration.Application.Common.Telemetry;

/// <summary>
/// Backlogs and dead letters as the database holds them now (all instances together), read for the metrics and
/// the health summary. Implementations cache a reading for a few seconds: scrapes and probes must stay cheap.
/// </summary>
public interface IOperationsProbe
{
    /// <summary>A recent reading (synchronous: observable instruments are read on the scrape's thread).</summary>
    OperationsSnapshot Read();

    /// <summary>A fresh reading.</summary>
    Task<OperationsSnapshot> ReadFreshAsync(CancellationToken cancellationToken);
}

/// <summary>Ages are in seconds, 0 when nothing waits.</summary>
public sealed record OperationsSnapshot(
    int InboxBacklog,
    double InboxOldestAgeSeconds,
    int InboxFailed,
    int NotificationBacklog,
    double NotificationOldestAgeSeconds,
    int NotificationsDead,
    int NotificationsUnconfirmed,
    DateTimeOffset ReadAt);
