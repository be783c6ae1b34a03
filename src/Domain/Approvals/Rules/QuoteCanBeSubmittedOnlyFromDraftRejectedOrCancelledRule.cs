using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

internal sealed record QuoteCanBeSubmittedOnlyFromDraftRejectedOrCancelledRule(QuoteStatus Current) : IBusinessRule
{
    public bool IsBroken() => Current is not (QuoteStatus.Draft or QuoteStatus.Rejected or QuoteStatus.Cancelled);

    public string Message => $"Only a draft, rejected or cancelled quote can be submitted for approval; this one is {Current}.";
}
