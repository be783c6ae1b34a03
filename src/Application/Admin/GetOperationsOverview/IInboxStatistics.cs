namespace CrmIntegration.Application.Admin.GetOperationsOverview;

/// <summary>The callback inbox as the store holds it (the table is Infrastructure's).</summary>
public interface IInboxStatistics
{
    /// <summary>Counts by status (API words), the oldest unprocessed callback's age, and callbacks received per minute.</summary>
    Task<InboxStatistics> ReadAsync(IReadOnlyList<DateTimeOffset> minuteStarts, DateTimeOffset now, CancellationToken cancellationToken);
}

public sealed record InboxStatistics(IReadOnlyDictionary<string, int> ByStatus, double OldestAgeSeconds, IReadOnlyList<int> PerMinute);
