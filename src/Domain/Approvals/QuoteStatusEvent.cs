namespace CrmIntegration.Domain.Approvals;

/// <summary>
/// One change of a quote's status, written in the same transaction as the change (the store adds it whenever a
/// saved quote's status moved). <see cref="Seq"/> is assigned by the store; live clients resume after the last
/// one they saw, so a change applied by any instance reaches every listener, once, in order.
/// </summary>
public sealed class QuoteStatusEvent
{
    private QuoteStatusEvent()
    {
    } // EF

    public long Seq { get; private set; }

    public Guid QuoteId { get; private set; }

    public string Number { get; private set; } = "";

    public QuoteStatus Status { get; private set; }

    public ApprovalStatus? ApprovalStatus { get; private set; }

    /// <summary>What moved it: callback, sync, simulate, submit; null for a change made by the API itself.</summary>
    public TimelineSource? Source { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public static QuoteStatusEvent Of(Quote quote, TimelineSource? source, DateTimeOffset occurredAt) => new()
    {
        QuoteId = quote.Id,
        Number = quote.Number,
        Status = quote.Status,
        ApprovalStatus = quote.ApprovalStatus,
        Source = source,
        OccurredAt = occurredAt,
    };
}
