using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

/// <summary>WeCom: an approved form may still be revoked (6) or deleted (7), never rejected.</summary>
internal sealed record ApprovedApprovalCanOnlyBeCancelledRule(ApprovalStatus Current, ApprovalStatus Next) : IBusinessRule
{
    public bool IsBroken() => Current == ApprovalStatus.Approved && Next != ApprovalStatus.Cancelled;

    public string Message => $"An approved approval can only be cancelled, not moved to {Next}.";
}
