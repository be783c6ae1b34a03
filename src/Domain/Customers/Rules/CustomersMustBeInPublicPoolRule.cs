using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Customers.Rules;

/// <summary>A public-pool claim takes only customers still in the pool; the ids are the ones that are not.</summary>
public sealed record CustomersMustBeInPublicPoolRule(IReadOnlyCollection<Guid> NotInPool) : IBusinessRuleWithIds
{
    public IReadOnlyCollection<Guid> FailedIds => NotInPool;

    public bool IsBroken() => NotInPool.Count > 0;

    public string Message => NotInPool.Count == 1
        ? "The customer is no longer in the public pool."
        : $"{NotInPool.Count} customers are no longer in the public pool.";
}
