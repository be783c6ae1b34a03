namespace CrmIntegration.Domain.Common;

/// <summary>A rule checked over many items at once (a batch): clients see which ids broke it.</summary>
public interface IBusinessRuleWithIds : IBusinessRule
{
    IReadOnlyCollection<Guid> FailedIds { get; }
}
