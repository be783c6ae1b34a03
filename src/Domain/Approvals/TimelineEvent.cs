namespace CrmIntegration.Domain.Approvals;

/// <summary>One received status event, recorded once (unique <see cref="EventKey"/>) whatever it changed.</summary>
public sealed class TimelineEvent
{
    public const int EventKeyMaxLength = 128;
    public const int EventNameMaxLength = 64;
    public const int RuleMaxLength = 128;

    private TimelineEvent()
    {
    } // EF

    public Guid Id { get; private set; }

    public string EventKey { get; private set; } = "";

    public TimelineSource Source { get; private set; }

    public string EventName { get; private set; } = "";

    public int? RawStatus { get; private set; }

    public ApprovalStatus? MappedStatus { get; private set; }

    public TimelineOutcome Outcome { get; private set; }

    /// <summary>For a stale event: the rule that refused it.</summary>
    public string? Rule { get; private set; }

    public Guid? QuoteId { get; private set; }

    public Guid? ApprovalInstanceId { get; private set; }

    public string? SpNo { get; private set; }

    public string? ThirdNo { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>
    /// The event's own time when it lay too far after its receipt and <see cref="OccurredAt"/> was clamped to the
    /// receipt for ordering (a clock error or a forged CreateTime must not make later real events stale).
    /// </summary>
    public DateTimeOffset? ReportedOccurredAt { get; private set; }

    /// <summary>The decrypted message (or API response) as received.</summary>
    public string? Payload { get; private set; }

    public static TimelineEvent Record(
        string eventKey,
        TimelineSource source,
        string eventName,
        int? rawStatus,
        ApprovalTransition transition,
        ApprovalInstance? approval,
        string? spNo,
        string? thirdNo,
        DateTimeOffset occurredAt,
        DateTimeOffset receivedAt,
        string? payload,
        DateTimeOffset? reportedOccurredAt = null) => new()
        {
            Id = Guid.CreateVersion7(receivedAt),
            EventKey = eventKey,
            Source = source,
            EventName = eventName,
            RawStatus = rawStatus,
            MappedStatus = rawStatus is { } code ? WeComApprovalStatus.Map(code) : null,
            Outcome = transition.Outcome,
            Rule = transition.Rule,
            QuoteId = approval?.QuoteId,
            ApprovalInstanceId = approval?.Id,
            SpNo = spNo ?? approval?.SpNo,
            ThirdNo = thirdNo ?? approval?.ThirdNo,
            OccurredAt = occurredAt,
            ReceivedAt = receivedAt,
            ReportedOccurredAt = reportedOccurredAt,
            Payload = payload,
        };
}
