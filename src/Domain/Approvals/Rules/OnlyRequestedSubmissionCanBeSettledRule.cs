using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

internal sealed record OnlyRequestedSubmissionCanBeSettledRule(SubmissionState Current) : IBusinessRule
{
    public bool IsBroken() => Current != SubmissionState.Requested;

    public string Message => $"Only a requested submission can be confirmed or abandoned; this one is {Current}.";
}
