using CrmIntegration.Domain.Approvals.Rules;
using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.UnitTests.Common;

public sealed class RuleNamesTests
{
    [Test]
    public void Of_WhenTypeNameEndsWithRule_DropsTheSuffix()
    {
        Assert.That(RuleNames.Of(new QuoteCanHaveOnlyOneOpenApprovalRule(true)), Is.EqualTo("QuoteCanHaveOnlyOneOpenApproval"));
    }

    [Test]
    public void Of_WhenTypeNameDoesNotEndWithRule_KeepsIt()
    {
        Assert.That(RuleNames.Of(new Invariant()), Is.EqualTo(nameof(Invariant)));
    }

    [Test]
    public void BusinessRuleException_WhenCreated_CarriesRuleNameAndMessage()
    {
        var rule = new QuoteCanHaveOnlyOneOpenApprovalRule(true);

        var exception = new BusinessRuleException(rule);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception.Rule, Is.SameAs(rule));
            Assert.That(exception.RuleName, Is.EqualTo("QuoteCanHaveOnlyOneOpenApproval"));
            Assert.That(exception.Message, Is.EqualTo(rule.Message));
        }
    }

    private sealed class Invariant : IBusinessRule
    {
        public string Message => "";

        public bool IsBroken() => true;
    }
}
