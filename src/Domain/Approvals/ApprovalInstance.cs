using CrmIntegration.Domain.Approvals.Rules;
using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals;

/// <summary>One WeCom approval of a quote: sp_no ↔ quote ↔ third_no (the quote number).</summary>
public sealed class ApprovalInstance : Entity
{
    public const int SpNoMaxLength = 64;
    public const int TemplateIdMaxLength = 128;

    private ApprovalInstance()
    {
    } // EF

    public Guid Id { get; private set; }

    public Guid QuoteId { get; private set; }

    public Quote Quote { get; private set; } = null!;

    /// <summary>WeCom's form number; null until applyevent answers (or for an open approval, which has none).</summary>
    public string? SpNo { get; private set; }

    public string ThirdNo { get; private set; } = "";

    public string? TemplateId { get; private set; }

    public ApprovalKind Kind { get; private set; }

    public ApprovalStatus Status { get; private set; }

    /// <summary>Stored (not derived) so the store can index it: at most one open approval per quote.</summary>
    public bool IsOpen { get; private set; }

    public DateTimeOffset SubmittedAt { get; private set; }

    /// <summary>When the newest applied WeCom event happened (its CreateTime), for ordering late deliveries.</summary>
    public DateTimeOffset? LastEventAt { get; private set; }

    public SubmissionState SubmissionState { get; private set; }

    /// <summary>The WeCom userid that submitted it (applyevent's creator_userid), for reconciliation searches.</summary>
    public string? CreatorUserId { get; private set; }

    public Guid Version { get; private set; }

    internal static ApprovalInstance Start(Quote quote, ApprovalKind kind, string? templateId, DateTimeOffset now,
        SubmissionState submission = SubmissionState.Submitted, string? creatorUserId = null) => new()
    {
        Id = Guid.CreateVersion7(now),
        QuoteId = quote.Id,
        Quote = quote,
        ThirdNo = quote.Number,
        TemplateId = templateId,
        Kind = kind,
        Status = ApprovalStatus.Pending,
        IsOpen = true,
        SubmittedAt = now,
        SubmissionState = submission,
        CreatorUserId = creatorUserId,
        Version = Guid.NewGuid(),
    };

    /// <summary>
    /// WeCom accepted the form: the sp_no is recorded and the quote is now pending approval, unless an event that
    /// arrived while WeCom was answering (a callback or the sync) already moved the approval on; then that event
    /// stands and the submission's "pending" is stale.
    /// </summary>
    internal ApprovalTransition ConfirmSubmitted(string spNo)
    {
        CheckRule(new OnlyRequestedSubmissionCanBeSettledRule(SubmissionState));
        AssignSpNo(spNo);
        SubmissionState = SubmissionState.Submitted;
        Version = Guid.NewGuid();
        var laterEvent = new TerminalApprovalCannotReturnToPendingRule(Status, ApprovalStatus.Pending);
        if (laterEvent.IsBroken())
        {
            return new ApprovalTransition(TimelineOutcome.Stale, RuleNames.Of(laterEvent));
        }

        return ApprovalTransition.Applied;
    }

    /// <summary>No form exists in WeCom: the approval closes and the quote keeps its status, free to submit again.</summary>
    internal void AbandonSubmission(DateTimeOffset now)
    {
        CheckRule(new OnlyRequestedSubmissionCanBeSettledRule(SubmissionState));
        SubmissionState = SubmissionState.Abandoned;
        Status = ApprovalStatus.Cancelled;
        IsOpen = false;
        LastEventAt = now;
        Version = Guid.NewGuid();
    }

    /// <summary>Records the sp_no WeCom gave the submitted form.</summary>
    internal void AssignSpNo(string spNo)
    {
        CheckRule(new SpNoIsAssignedOnceRule(SpNo, spNo));
        if (SpNo == spNo)
        {
            return;
        }

        SpNo = spNo;
        Version = Guid.NewGuid();
    }

    /// <summary>
    /// Applies a status reported by WeCom (callback, sync or simulation). Never throws for a late or
    /// out-of-order event: WeCom redelivers and reorders, so a refused move is <see cref="TimelineOutcome.Stale"/>.
    /// </summary>
    internal ApprovalTransition Apply(ApprovalStatus next, DateTimeOffset occurredAt)
    {
        if (!Enum.IsDefined(next))
        {
            throw new ArgumentOutOfRangeException(nameof(next), next, "Not an approval status.");
        }

        if (next == Status)
        {
            return ApprovalTransition.Unchanged;
        }

        var broken = FirstBroken(
            new TerminalApprovalCannotReturnToPendingRule(Status, next),
            new RejectedOrCancelledApprovalIsFinalRule(Status),
            new ApprovedApprovalCanOnlyBeCancelledRule(Status, next),
            new EventMustNotPredateLastAppliedEventRule(LastEventAt, occurredAt));
        if (broken is not null)
        {
            return new ApprovalTransition(TimelineOutcome.Stale, RuleNames.Of(broken));
        }

        Status = next;
        IsOpen = next == ApprovalStatus.Pending;
        LastEventAt = occurredAt;
        Version = Guid.NewGuid();
        return ApprovalTransition.Applied;
    }
}
