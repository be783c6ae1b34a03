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

    /// <summary>Every approval this quote has had; loaded only where a use case includes it.</summary>
    public IReadOnlyCollection<ApprovalInstance> Approvals => _approvals;

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

    /// <summary>
    /// Starts an approval for this quote: a draft, or a rejected or cancelled quote being resubmitted.
    /// <paramref name="hasOpenApproval"/> comes from the store, so the whole collection need not be loaded.
    /// </summary>
    public ApprovalInstance StartApproval(ApprovalKind kind, string? templateId, bool hasOpenApproval, DateTimeOffset now)
    {
        if (BrokenStartApprovalRule(hasOpenApproval) is { } broken)
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
    /// when WeCom answers (<see cref="ApprovalInstance.ConfirmSubmitted"/>).
    /// </summary>
    public ApprovalInstance RequestApproval(string templateId, string creatorUserId, bool hasOpenApproval, DateTimeOffset now)
    {
        if (BrokenStartApprovalRule(hasOpenApproval) is { } broken)
        {
            throw new BusinessRuleException(broken);
        }

        var approval = ApprovalInstance.Start(this, ApprovalKind.System, templateId, now, SubmissionState.Requested, creatorUserId);
        _approvals.Add(approval);
        Touch(now);
        return approval;
    }

    /// <summary>The first rule that stops this quote starting an approval now, or null when it may.</summary>
    public IBusinessRule? BrokenStartApprovalRule(bool hasOpenApproval) => FirstBroken(
        new QuoteCanBeSubmittedOnlyFromDraftRejectedOrCancelledRule(Status),
        new QuoteCanHaveOnlyOneOpenApprovalRule(hasOpenApproval));

    /// <summary>The quote's statuses follow its current approval's.</summary>
    internal void Follow(ApprovalStatus approvalStatus, DateTimeOffset now)
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
