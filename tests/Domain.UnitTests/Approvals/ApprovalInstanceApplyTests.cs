using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.UnitTests.Support;

namespace CrmIntegration.Domain.UnitTests.Approvals;

public sealed class ApprovalInstanceApplyTests
{
    private const string TerminalApprovalCannotReturnToPending = "TerminalApprovalCannotReturnToPending";
    private const string RejectedOrCancelledApprovalIsFinal = "RejectedOrCancelledApprovalIsFinal";
    private const string ApprovedApprovalCanOnlyBeCancelled = "ApprovedApprovalCanOnlyBeCancelled";
    private const string EventMustNotPredateLastAppliedEvent = "EventMustNotPredateLastAppliedEvent";

    [TestCaseSource(nameof(AllTransitions))]
    public void Apply_WhenMovingFromOneStatusToAnother_ReturnsExpectedOutcomeAndRule(
        ApprovalStatus from, ApprovalStatus to, TimelineOutcome outcome, string? rule)
    {
        var approval = Given.ApprovalIn(from);

        var transition = approval.Quote.ApplyApprovalStatus(approval, to, Given.At(3), Given.At(4));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Outcome, Is.EqualTo(outcome));
            Assert.That(transition.Rule, Is.EqualTo(rule));
        }
    }

    [TestCaseSource(nameof(AppliedTransitions))]
    public void Apply_WhenTransitionIsApplied_MovesApprovalAndQuote(
        ApprovalStatus from, ApprovalStatus to, QuoteStatus quoteStatus)
    {
        var approval = Given.ApprovalIn(from);
        var quote = approval.Quote;
        var approvalVersion = approval.Version;
        var quoteVersion = quote.Version;

        var transition = approval.Quote.ApplyApprovalStatus(approval, to, Given.At(3), Given.At(4));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition, Is.EqualTo(ApprovalTransition.Applied));
            Assert.That(approval.Status, Is.EqualTo(to));
            Assert.That(approval.IsOpen, Is.False);
            Assert.That(approval.LastEventAt, Is.EqualTo(Given.At(3)));
            Assert.That(approval.Version, Is.Not.EqualTo(approvalVersion));
            Assert.That(quote.Status, Is.EqualTo(quoteStatus));
            Assert.That(quote.ApprovalStatus, Is.EqualTo(to));
            Assert.That(quote.UpdatedAt, Is.EqualTo(Given.At(4)));
            Assert.That(quote.Version, Is.Not.EqualTo(quoteVersion));
        }
    }

    [TestCaseSource(nameof(RefusedOrRepeatedTransitions))]
    public void Apply_WhenTransitionIsStaleOrUnchanged_ChangesNothing(ApprovalStatus from, ApprovalStatus to)
    {
        var approval = Given.ApprovalIn(from);
        var quote = approval.Quote;
        var before = Snapshot.Of(approval);

        var transition = approval.Quote.ApplyApprovalStatus(approval, to, Given.At(3), Given.At(4));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Outcome, Is.Not.EqualTo(TimelineOutcome.Applied));
            Assert.That(Snapshot.Of(approval), Is.EqualTo(before));
            Assert.That(approval.IsOpen, Is.EqualTo(from == ApprovalStatus.Pending));
            Assert.That(quote.ApprovalStatus, Is.EqualTo(from));
        }
    }

    [Test]
    public void Apply_WhenApprovalHasJustStarted_IsOpenWithoutLastEvent()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(approval.Status, Is.EqualTo(ApprovalStatus.Pending));
            Assert.That(approval.IsOpen, Is.True);
            Assert.That(approval.LastEventAt, Is.Null);
        }
    }

    [Test]
    public void Apply_WhenPendingIsRepeated_KeepsApprovalOpenAndLastEventUnset()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);

        var transition = approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Pending, Given.At(3), Given.At(4));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition, Is.EqualTo(ApprovalTransition.Unchanged));
            Assert.That(approval.IsOpen, Is.True);
            Assert.That(approval.LastEventAt, Is.Null);
        }
    }

    [Test]
    public void Apply_WhenEventPredatesLastAppliedEvent_IsStaleNamingTheOrderingRule()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Approved); // last applied event at minute 2
        var before = Snapshot.Of(approval);

        var transition = approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Cancelled, Given.At(2).AddSeconds(-1), Given.At(4));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Outcome, Is.EqualTo(TimelineOutcome.Stale));
            Assert.That(transition.Rule, Is.EqualTo(EventMustNotPredateLastAppliedEvent));
            Assert.That(Snapshot.Of(approval), Is.EqualTo(before));
        }
    }

    [Test]
    public void Apply_WhenEventHasSameTimeAsLastAppliedEvent_IsApplied()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Approved); // last applied event at minute 2

        var transition = approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Cancelled, Given.At(2), Given.At(4));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition, Is.EqualTo(ApprovalTransition.Applied));
            Assert.That(approval.Status, Is.EqualTo(ApprovalStatus.Cancelled));
            Assert.That(approval.LastEventAt, Is.EqualTo(Given.At(2)));
            Assert.That(approval.Quote.Status, Is.EqualTo(QuoteStatus.Cancelled));
        }
    }

    [Test]
    public void Apply_WhenEventHasSameInstantInAnotherOffset_IsApplied()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Approved);

        var transition = approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Cancelled, Given.At(2).ToUniversalTime(), Given.At(4));

        Assert.That(transition, Is.EqualTo(ApprovalTransition.Applied));
    }

    [Test]
    public void Apply_WhenOlderEventRepeatsCurrentStatus_IsUnchangedRatherThanStale()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Approved);

        var transition = approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Approved, Given.At(1), Given.At(4));

        Assert.That(transition, Is.EqualTo(ApprovalTransition.Unchanged));
    }

    [Test]
    public void Apply_WhenOlderEventAlsoLeavesTerminalStatus_NamesTheStatusRule()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Rejected);

        var transition = approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Pending, Given.At(1), Given.At(4));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Outcome, Is.EqualTo(TimelineOutcome.Stale));
            Assert.That(transition.Rule, Is.EqualTo(TerminalApprovalCannotReturnToPending));
        }
    }

    private static IEnumerable<TestCaseData> AllTransitions()
    {
        const ApprovalStatus pending = ApprovalStatus.Pending;
        const ApprovalStatus approved = ApprovalStatus.Approved;
        const ApprovalStatus rejected = ApprovalStatus.Rejected;
        const ApprovalStatus cancelled = ApprovalStatus.Cancelled;
        const TimelineOutcome applied = TimelineOutcome.Applied;
        const TimelineOutcome unchanged = TimelineOutcome.Unchanged;
        const TimelineOutcome stale = TimelineOutcome.Stale;

        yield return new TestCaseData(pending, pending, unchanged, null);
        yield return new TestCaseData(pending, approved, applied, null);
        yield return new TestCaseData(pending, rejected, applied, null);
        yield return new TestCaseData(pending, cancelled, applied, null);

        yield return new TestCaseData(approved, pending, stale, TerminalApprovalCannotReturnToPending);
        yield return new TestCaseData(approved, approved, unchanged, null);
        yield return new TestCaseData(approved, rejected, stale, ApprovedApprovalCanOnlyBeCancelled);
        yield return new TestCaseData(approved, cancelled, applied, null);

        yield return new TestCaseData(rejected, pending, stale, TerminalApprovalCannotReturnToPending);
        yield return new TestCaseData(rejected, approved, stale, RejectedOrCancelledApprovalIsFinal);
        yield return new TestCaseData(rejected, rejected, unchanged, null);
        yield return new TestCaseData(rejected, cancelled, stale, RejectedOrCancelledApprovalIsFinal);

        yield return new TestCaseData(cancelled, pending, stale, TerminalApprovalCannotReturnToPending);
        yield return new TestCaseData(cancelled, approved, stale, RejectedOrCancelledApprovalIsFinal);
        yield return new TestCaseData(cancelled, rejected, stale, RejectedOrCancelledApprovalIsFinal);
        yield return new TestCaseData(cancelled, cancelled, unchanged, null);
    }

    private static IEnumerable<TestCaseData> AppliedTransitions()
    {
        yield return new TestCaseData(ApprovalStatus.Pending, ApprovalStatus.Approved, QuoteStatus.Approved);
        yield return new TestCaseData(ApprovalStatus.Pending, ApprovalStatus.Rejected, QuoteStatus.Rejected);
        yield return new TestCaseData(ApprovalStatus.Pending, ApprovalStatus.Cancelled, QuoteStatus.Cancelled);
        yield return new TestCaseData(ApprovalStatus.Approved, ApprovalStatus.Cancelled, QuoteStatus.Cancelled);
    }

    private static IEnumerable<TestCaseData> RefusedOrRepeatedTransitions() =>
        AllTransitions()
            .Where(c => (TimelineOutcome)c.Arguments[2]! != TimelineOutcome.Applied)
            .Select(c => new TestCaseData(c.Arguments[0], c.Arguments[1]));

    /// <summary>Everything Apply may change, on the approval and on its quote.</summary>
    private sealed record Snapshot(
        ApprovalStatus Status,
        bool IsOpen,
        DateTimeOffset? LastEventAt,
        Guid Version,
        QuoteStatus QuoteStatus,
        ApprovalStatus? QuoteApprovalStatus,
        DateTimeOffset QuoteUpdatedAt,
        Guid QuoteVersion)
    {
        public static Snapshot Of(ApprovalInstance a) => new(
            a.Status, a.IsOpen, a.LastEventAt, a.Version,
            a.Quote.Status, a.Quote.ApprovalStatus, a.Quote.UpdatedAt, a.Quote.Version);
    }
}
