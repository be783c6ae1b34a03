using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.UnitTests.Support;

internal static class DomainAssert
{
    /// <summary>
    /// Asserts that <paramref name="action"/> throws a <see cref="BusinessRuleException"/> for a
    /// <typeparamref name="TRule"/> (and names it as clients will see it) and returns that rule.
    /// </summary>
    public static TRule AssertBrokenRule<TRule>(TestDelegate action)
        where TRule : class, IBusinessRule
    {
        // Null only inside a multiple-assert scope, where the failure is recorded rather than thrown.
        var exception = Assert.Throws<BusinessRuleException>(action)
            ?? throw new AssertionException($"Expected {typeof(TRule).Name} to be broken, but nothing was thrown.");

        var expectedName = typeof(TRule).Name.EndsWith("Rule", StringComparison.Ordinal)
            ? typeof(TRule).Name[..^4]
            : typeof(TRule).Name;
        Assert.That(
            exception.Rule,
            Is.TypeOf<TRule>(),
            $"Expected {typeof(TRule).Name} to be broken, but {exception.RuleName} was: {exception.Message}");
        Assert.That(exception.RuleName, Is.EqualTo(expectedName));
        Assert.That(exception.Message, Is.EqualTo(exception.Rule.Message));
        return (TRule)exception.Rule;
    }
}
