namespace CrmIntegration.Domain.Common;

public abstract class Entity
{
    protected static void CheckRule(IBusinessRule rule)
    {
        if (rule.IsBroken())
        {
            throw new BusinessRuleException(rule);
        }
    }

    /// <summary>The first broken rule of <paramref name="rules"/>, or null when all hold.</summary>
    protected static IBusinessRule? FirstBroken(params IBusinessRule[] rules) =>
        rules.FirstOrDefault(r => r.IsBroken());
}
