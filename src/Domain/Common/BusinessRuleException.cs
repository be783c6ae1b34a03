namespace CrmIntegration.Domain.Common;

public sealed class BusinessRuleException(IBusinessRule rule) : Exception(rule.Message)
{
    public IBusinessRule Rule { get; } = rule;

    public string RuleName { get; } = RuleNames.Of(rule);
}
