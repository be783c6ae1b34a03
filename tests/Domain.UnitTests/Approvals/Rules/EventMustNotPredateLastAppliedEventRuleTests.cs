using CrmIntegration.Domain.Approvals.Rules;
using CrmIntegration.Domain.UnitTests.Support;

namespace CrmIntegration.Domain.UnitTests.Approvals.Rules;

public sealed class EventMustNotPredateLastAppliedEventRuleTests
{
    [Test]
    public void IsBroken_WhenNoEventAppliedYet_ReturnsFalse()
    {
        Assert.That(new EventMustNotPredateLastAppliedEventRule(null, Given.At(-60)).IsBroken(), Is.False);
    }

    [TestCase(-1, true)]
    [TestCase(0, false)]
    [TestCase(1, false)]
    public void IsBroken_WhenComparedWithLastAppliedEvent_BreaksOnlyForEarlierEvents(int ticks, bool broken)
    {
        var rule = new EventMustNotPredateLastAppliedEventRule(Given.T0, Given.T0.AddTicks(ticks));

        Assert.That(rule.IsBroken(), Is.EqualTo(broken));
    }
}
