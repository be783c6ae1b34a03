using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

internal sealed record QuoteCanHaveOnlyOneOpenApprovalRule(bool HasOpenApproval) : IBusinessRule
{
    public bool IsBroken() => HasOpenApproval;

    public string Message => "The quote already has an open approval.";
}
