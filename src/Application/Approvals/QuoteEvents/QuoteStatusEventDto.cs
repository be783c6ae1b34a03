using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals.QuoteEvents;

/// <summary>One <c>quote-status</c> event as live clients receive it; <see cref="Seq"/> is its SSE id.</summary>
public sealed record QuoteStatusEventDto(
    long Seq,
    Guid QuoteId,
    string Number,
    QuoteStatus Status,
    ApprovalStatus? ApprovalStatus,
    TimelineSource? Source,
    DateTimeOffset OccurredAt)
{
    public static QuoteStatusEventDto From(QuoteStatusEvent e) =>
        new(e.Seq, e.QuoteId, e.Number, e.Status, e.ApprovalStatus, e.Source, e.OccurredAt);
}
