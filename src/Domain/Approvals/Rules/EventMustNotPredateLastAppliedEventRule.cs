using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals.Rules;

/// <summary>Equal times pass: a batch approval emits several events with one CreateTime.</summary>
internal sealed record EventMustNotPredateLastAppliedEventRule(DateTimeOffset? LastEventAt, DateTimeOffset OccurredAt) : IBusinessRule
{
    public bool IsBroken() => LastEventAt is { } last && OccurredAt < last;

    public string Message => $"The event happened at {OccurredAt:O}, before the last applied one at {LastEventAt:O}.";
}
