namespace CrmIntegration.Domain.Common;

/// <summary>A named invariant. Broken rules surface as HTTP 409 with the rule's name.</summary>
public interface IBusinessRule
{
    bool IsBroken();

    string Message { get; }
}
