using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

internal sealed record QuoteAmountMustBePositiveRule(decimal Amount) : IBusinessRule
{
    public bool IsBroken() => Amount <= 0 || Amount > Quote.MaxAmount;

    public string Message => $"A quote's amount must be above 0 and at most {Quote.MaxAmount}.";
}
