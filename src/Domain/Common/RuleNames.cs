namespace CrmIntegration.Domain.Common;

public static class RuleNames
{
    /// <summary>"OnlyDraftQuoteCanBeSubmittedRule" → "OnlyDraftQuoteCanBeSubmitted": the name clients see.</summary>
    public static string Of(IBusinessRule rule)
    {
        var name = rule.GetType().Name;
        return name.EndsWith("Rule", StringComparison.Ordinal) ? name[..^4] : name;
    }
}
