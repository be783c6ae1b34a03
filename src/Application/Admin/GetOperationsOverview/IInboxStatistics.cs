namespace CrmIntegration.Application.Admin.GetOperationsOverview;

/// <summary>The callback inbox as the store holds it (the table is Infrastructure's).</summary>
public interface IInboxStatistics
{
    /// <summary>Counts by status (API words) and callbacks received per minute.</summary>
    Task<InboxStatistics> ReadAsync(IReadOnlyList<DateTimeOffset> minuteStarts, CancellationToken cancellationToken);
}

public sealed record InboxStatistics(IReadOnlyDictionary<string, int> ByStatus, IReadOnlyList<int> PerMinute);
