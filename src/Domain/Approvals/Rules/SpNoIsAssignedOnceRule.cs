using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

internal sealed record SpNoIsAssignedOnceRule(string? Current, string Next) : IBusinessRule
{
    public bool IsBroken() => Current is not null && Current != Next;

    public string Message => "The approval already has a different sp_no.";
}
