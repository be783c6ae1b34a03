using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

/// <summary>WeCom: 3 (rejected), 4 (cancelled), 6 (revoked after approval) and 7 (deleted) end the flow.</summary>
internal sealed record RejectedOrCancelledApprovalIsFinalRule(ApprovalStatus Current) : IBusinessRule
{
    public bool IsBroken() => Current is ApprovalStatus.Rejected or ApprovalStatus.Cancelled;

    public string Message => $"A {Current} approval is final.";
}
