using CrmIntegration.Domain.Approvals.Rules;
using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals;

public sealed class Quote : Entity
{
    public const int TitleMaxLength = 200;
    public const int CustomerNameMaxLength = 200;
    public const int CurrencyLength = 3;
    public const decimal MaxAmount = 1_000_000_000_000m;

    private readonly List<ApprovalInstance> _approvals = [];

    private Quote()
    {
    } // EF

    public Guid Id { get; private set; }

    public string Number { get; private set; } = "";

    public string Title { get; private set; } = "";

    public string CustomerName { get; private set; } = "";

    public decimal Amount { get; private set; }

    public string Currency { get; private set; } = "";

    public QuoteStatus Status { get; private set; }

    public ApprovalStatus? ApprovalStatus { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token, set by the app: SQLite has no rowversion.</summary>
    public Guid Version { get; private set; }

    /// <summary>
    /// The approvals a use case loaded with the quote: at least every open one
    /// (<c>Include(q =&gt; q.Approvals.Where(a =&gt; a.IsOpen || …))</c>), so the quote itself decides whether another
    /// may start; the store's one-open-approval index backs that up against a concurrent start.
    /// </summary>
    public IReadOnlyCollection<ApprovalInstance> Approvals => _approvals;

    public bool HasOpenApproval => _approvals.Any(a => a.IsOpen);

    public static Quote Create(string number, string title, string customerName, decimal amount, string currency, DateTimeOffset now)
    {
        CheckRule(new QuoteAmountMustBePositiveRule(amount));
        return new Quote
        {
            Id = Guid.CreateVersion7(now),
            Number = number,
            Title = title.Trim(),
            CustomerName = customerName.Trim(),
            Amount = amount,
            Currency = currency.ToUpperInvariant(),
            Status = QuoteStatus.Draft,
            ApprovalStatus = null,
            CreatedAt = now,
            UpdatedAt = now,
            Version = Guid.NewGuid(),
        };
    }

    /// <summary>Starts an approval for this quote: a draft, or a rejected or cancelled quote being resubmitted.</summary>
    public ApprovalInstance StartApproval(ApprovalKind kind, string? templateId, DateTimeOffset now)
    {
        if (BrokenStartApprovalRule() is { } broken)
        {
            throw new BusinessRuleException(broken);
        }

        var approval = ApprovalInstance.Start(this, kind, templateId, now);
        _approvals.Add(approval);
        Follow(Domain.Approvals.ApprovalStatus.Pending, now);
        return approval;
    }

    /// <summary>
    /// Records the intent to submit through oa/applyevent before calling WeCom. The quote's status moves only
    /// when WeCom answers (<see cref="ConfirmSubmission"/>).
    /// </summary>
    public ApprovalInstance RequestApproval(string templateId, string creatorUserId, DateTimeOffset now)
    {
        if (BrokenStartApprovalRule() is { } broken)
        {
            throw new BusinessRuleException(broken);
        }

        var approval = ApprovalInstance.Start(this, ApprovalKind.System, templateId, now, SubmissionState.Requested, creatorUserId);
        _approvals.Add(approval);
        Touch(now);
        return approval;
    }

    /// <summary>The first rule that stops this quote starting an approval now, or null when it may.</summary>
    public IBusinessRule? BrokenStartApprovalRule() => FirstBroken(
        new QuoteCanBeSubmittedOnlyFromDraftRejectedOrCancelledRule(Status),
        new QuoteCanHaveOnlyOneOpenApprovalRule(HasOpenApproval));

    /// <summary>
    /// Applies a status WeCom reported for one of this quote's approvals (callback, sync or simulation); the quote
    /// follows when the approval moves. Never throws for a late or out-of-order event: see <see cref="ApprovalInstance.Apply"/>.
    /// </summary>
    public ApprovalTransition ApplyApprovalStatus(ApprovalInstance approval, ApprovalStatus next, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        CheckOwn(approval);
        var transition = approval.Apply(next, occurredAt);
        if (transition.Outcome == TimelineOutcome.Applied)
        {
            Follow(next, now);
        }

        return transition;
    }

    /// <summary>
    /// WeCom accepted the form of a requested approval: its sp_no is recorded and the quote is now pending approval,
    /// unless an event that arrived while WeCom was answering already moved the approval on (then that event stands).
    /// </summary>
    public ApprovalTransition ConfirmSubmission(ApprovalInstance approval, string spNo, DateTimeOffset now)
    {
        CheckOwn(approval);
        var transition = approval.ConfirmSubmitted(spNo);
        if (transition.Outcome == TimelineOutcome.Applied)
        {
            Follow(Domain.Approvals.ApprovalStatus.Pending, now);
        }

        return transition;
    }

    /// <summary>A form of our template found in WeCom for this quote, which has no open approval: adopted as its approval.</summary>
    public ApprovalInstance AdoptForm(string? templateId, string spNo, DateTimeOffset now)
    {
        var approval = StartApproval(ApprovalKind.System, templateId, now);
        approval.AssignSpNo(spNo);
        return approval;
    }

    /// <summary>No form exists in WeCom for a requested approval: it closes, and this quote keeps its status, free to submit again.</summary>
    public void AbandonSubmission(ApprovalInstance approval, DateTimeOffset now)
    {
        CheckOwn(approval);
        approval.AbandonSubmission(now);
        Touch(now);
    }

    private void CheckOwn(ApprovalInstance approval)
    {
        if (approval.QuoteId != Id)
        {
            throw new InvalidOperationException($"Approval {approval.Id} belongs to another quote.");
        }
    }

    /// <summary>The quote's statuses follow its current approval's.</summary>
    private void Follow(ApprovalStatus approvalStatus, DateTimeOffset now)
    {
        ApprovalStatus = approvalStatus;
        Status = approvalStatus switch
        {
            Domain.Approvals.ApprovalStatus.Pending => QuoteStatus.PendingApproval,
            Domain.Approvals.ApprovalStatus.Approved => QuoteStatus.Approved,
            Domain.Approvals.ApprovalStatus.Rejected => QuoteStatus.Rejected,
            Domain.Approvals.ApprovalStatus.Cancelled => QuoteStatus.Cancelled,
            _ => throw new ArgumentOutOfRangeException(nameof(approvalStatus), approvalStatus, null),
        };
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version = Guid.NewGuid();
    }
}
