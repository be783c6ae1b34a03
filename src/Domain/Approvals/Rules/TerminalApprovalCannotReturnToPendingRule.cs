using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

internal sealed record TerminalApprovalCannotReturnToPendingRule(ApprovalStatus Current, ApprovalStatus Next) : IBusinessRule
{
    public bool IsBroken() => Current != ApprovalStatus.Pending && Next == ApprovalStatus.Pending;

    public string Message => $"A {Current} approval never returns to pending.";
}
