using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals.GetQuoteTimeline;

public sealed record TimelineEventDto
{
    public Guid Id { get; init; }

    public string EventKey { get; init; } = "";

    public TimelineSource Source { get; init; }

    public string EventName { get; init; } = "";

    public int? RawStatus { get; init; }

    public ApprovalStatus? MappedStatus { get; init; }

    public TimelineOutcome Outcome { get; init; }

    public string? Rule { get; init; }

    public string? SpNo { get; init; }

    public string? ThirdNo { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Set when the event's own time lay in the future and <see cref="OccurredAt"/> was clamped to its receipt.</summary>
    public DateTimeOffset? ReportedOccurredAt { get; init; }

    public string? Payload { get; init; }
}
