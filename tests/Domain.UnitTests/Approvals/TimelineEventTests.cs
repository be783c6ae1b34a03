using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.UnitTests.Support;

namespace CrmIntegration.Domain.UnitTests.Approvals;

public sealed class TimelineEventTests
{
    private const string Rule = "RejectedOrCancelledApprovalIsFinal";

    [TestCase(1, ApprovalStatus.Pending)]
    [TestCase(2, ApprovalStatus.Approved)]
    [TestCase(3, ApprovalStatus.Rejected)]
    [TestCase(4, ApprovalStatus.Cancelled)]
    [TestCase(6, ApprovalStatus.Cancelled)]
    [TestCase(7, ApprovalStatus.Cancelled)]
    [TestCase(10, ApprovalStatus.Approved)]
    public void Record_WhenRawStatusIsKnown_MapsIt(int rawStatus, ApprovalStatus expected)
    {
        var timeline = Record(rawStatus, ApprovalTransition.Applied, approval: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeline.RawStatus, Is.EqualTo(rawStatus));
            Assert.That(timeline.MappedStatus, Is.EqualTo(expected));
        }
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(99)]
    [TestCase(null)]
    public void Record_WhenRawStatusIsUnknownOrMissing_HasNoMappedStatus(int? rawStatus)
    {
        var timeline = Record(rawStatus, new ApprovalTransition(TimelineOutcome.Unmatched), approval: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeline.RawStatus, Is.EqualTo(rawStatus));
            Assert.That(timeline.MappedStatus, Is.Null);
        }
    }

    [TestCase(TimelineOutcome.Applied, null)]
    [TestCase(TimelineOutcome.Unchanged, null)]
    [TestCase(TimelineOutcome.Stale, Rule)]
    [TestCase(TimelineOutcome.Unmatched, null)]
    public void Record_WhenGivenTransition_CopiesOutcomeAndRule(TimelineOutcome outcome, string? rule)
    {
        var timeline = Record(3, new ApprovalTransition(outcome, rule), approval: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeline.Outcome, Is.EqualTo(outcome));
            Assert.That(timeline.Rule, Is.EqualTo(rule));
        }
    }

    [Test]
    public void Record_WhenTransitionCameFromRefusedApply_CopiesItsOutcomeAndRule()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Rejected);
        var transition = approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Approved, Given.At(3), Given.At(4));

        var timeline = Record(WeComApprovalStatus.Approved, transition, approval);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeline.Outcome, Is.EqualTo(TimelineOutcome.Stale));
            Assert.That(timeline.Rule, Is.EqualTo(Rule));
            Assert.That(timeline.MappedStatus, Is.EqualTo(ApprovalStatus.Approved));
        }
    }

    [Test]
    public void Record_WhenApprovalMatched_CopiesEventAndLinksApproval()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);
        approval.AssignSpNo("202611220001");

        var timeline = TimelineEvent.Record(
            "event-key", TimelineSource.Callback, "sys_approval_change", 2, ApprovalTransition.Applied, approval,
            spNo: null, thirdNo: null, Given.At(3), Given.At(4), "<xml/>");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeline.Id, Is.Not.EqualTo(Guid.Empty));
            Assert.That(timeline.EventKey, Is.EqualTo("event-key"));
            Assert.That(timeline.Source, Is.EqualTo(TimelineSource.Callback));
            Assert.That(timeline.EventName, Is.EqualTo("sys_approval_change"));
            Assert.That(timeline.QuoteId, Is.EqualTo(approval.QuoteId));
            Assert.That(timeline.ApprovalInstanceId, Is.EqualTo(approval.Id));
            Assert.That(timeline.SpNo, Is.EqualTo("202611220001"));
            Assert.That(timeline.ThirdNo, Is.EqualTo(Given.Number));
            Assert.That(timeline.OccurredAt, Is.EqualTo(Given.At(3)));
            Assert.That(timeline.ReceivedAt, Is.EqualTo(Given.At(4)));
            Assert.That(timeline.Payload, Is.EqualTo("<xml/>"));
        }
    }

    [Test]
    public void Record_WhenEventCarriesNumbers_PrefersThemToApprovals()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);
        approval.AssignSpNo("202611220001");

        var timeline = TimelineEvent.Record(
            "event-key", TimelineSource.Sync, "sync", 1, ApprovalTransition.Unchanged, approval,
            "from-event", "CIS-20261122-0009", Given.At(3), Given.At(4), payload: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeline.SpNo, Is.EqualTo("from-event"));
            Assert.That(timeline.ThirdNo, Is.EqualTo("CIS-20261122-0009"));
            Assert.That(timeline.Payload, Is.Null);
        }
    }

    [Test]
    public void Record_WhenNoApprovalMatched_KeepsEventNumbersWithoutLinks()
    {
        var timeline = TimelineEvent.Record(
            "event-key", TimelineSource.Callback, "open_approval_change", 2,
            new ApprovalTransition(TimelineOutcome.Unmatched), approval: null,
            "sp-x", "OTHER-1", Given.At(3), Given.At(4), "<xml/>");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeline.Outcome, Is.EqualTo(TimelineOutcome.Unmatched));
            Assert.That(timeline.QuoteId, Is.Null);
            Assert.That(timeline.ApprovalInstanceId, Is.Null);
            Assert.That(timeline.SpNo, Is.EqualTo("sp-x"));
            Assert.That(timeline.ThirdNo, Is.EqualTo("OTHER-1"));
        }
    }

    private static TimelineEvent Record(int? rawStatus, ApprovalTransition transition, ApprovalInstance? approval) =>
        TimelineEvent.Record(
            "event-key", TimelineSource.Callback, "sys_approval_change", rawStatus, transition, approval,
            spNo: null, thirdNo: null, Given.At(3), Given.At(4), payload: null);
}
