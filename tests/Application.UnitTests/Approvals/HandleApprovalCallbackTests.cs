using System.Globalization;
using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.UnitTests.Approvals;

[TestFixture]
public sealed class HandleApprovalCallbackTests
{
    private TestDatabase _database = null!;
    private TestServices _services = null!;
    private string _number = null!;
    private int _key;

    [SetUp]
    public async Task SetUp()
    {
        _database = TestDatabase.Create();
        _services = new TestServices(_database);
        _number = (await _services.SendAsync(new CreateQuoteCommand("Pumps", "ACME", 10m, "CNY"))).Number;
    }

    [TearDown]
    public void TearDown()
    {
        _services.Dispose();
        _database.Dispose();
    }

    [Test]
    public async Task OpenApproval_ApprovedThenRevokedLater_EndsCancelledOnTheSameApproval()
    {
        await OpenEventAsync(2, minute: 1);
        var revoked = await OpenEventAsync(6, minute: 2);

        Assert.That(revoked.Outcome, Is.EqualTo(TimelineOutcome.Applied));
        Assert.That(await QuoteStatusAsync(), Is.EqualTo(QuoteStatus.Cancelled));
        Assert.That(await ApprovalCountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task OpenApproval_RejectedThenANewerPending_OpensASecondApproval()
    {
        await OpenEventAsync(1, minute: 1);
        await OpenEventAsync(3, minute: 2);
        var resubmitted = await OpenEventAsync(1, minute: 10);

        Assert.That(resubmitted.Outcome, Is.EqualTo(TimelineOutcome.Applied));
        Assert.That(await QuoteStatusAsync(), Is.EqualTo(QuoteStatus.PendingApproval));
        Assert.That(await ApprovalCountAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task EventDatedPastTheTolerance_IsOrderedByItsReceipt_AndKeepsItsOwnTime()
    {
        var now = _services.Clock.GetUtcNow();
        var receivedAt = now.AddSeconds(-30);
        var future = now.AddHours(3);
        await SendAsync(Event(1, minute: 0) with { OccurredAt = future, ReceivedAt = receivedAt });
        var withinTolerance = await SendAsync(Event(2, minute: 0) with { OccurredAt = now.AddMinutes(4) });

        using var db = _database.NewContext();
        // In the order sent (event keys test:1, test:2): two v7 ids made in one millisecond need not sort that way.
        var rows = (await db.Timeline.AsNoTracking().ToListAsync()).OrderBy(t => int.Parse(t.EventKey.AsSpan("test:".Length), CultureInfo.InvariantCulture)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((rows[0].OccurredAt, rows[0].ReportedOccurredAt), Is.EqualTo((receivedAt, (DateTimeOffset?)future)));
            Assert.That((rows[1].OccurredAt, rows[1].ReportedOccurredAt), Is.EqualTo((now.AddMinutes(4), (DateTimeOffset?)null)));
            Assert.That(withinTolerance.Outcome, Is.EqualTo(TimelineOutcome.Applied));
        }
    }

    [Test]
    public async Task OpenApproval_RejectedThenALatePending_IsStaleOnTheOldApproval()
    {
        await OpenEventAsync(3, minute: 2);
        var late = await OpenEventAsync(1, minute: 1);

        Assert.That(late.Outcome, Is.EqualTo(TimelineOutcome.Stale));
        Assert.That(await QuoteStatusAsync(), Is.EqualTo(QuoteStatus.Rejected));
        Assert.That(await ApprovalCountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task SameKey_Twice_IsADuplicateTheSecondTime()
    {
        var e = Event(1, minute: 1);
        var first = await SendAsync(e);
        var second = await SendAsync(e);

        Assert.That(first.Duplicate, Is.False);
        Assert.That(second.Duplicate, Is.True);
        using var db = _database.NewContext();
        Assert.That(await db.Timeline.CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task UnknownStatusCode_IsRecordedUnchangedAndNeverApplied()
    {
        await OpenEventAsync(1, minute: 1);
        var odd = await OpenEventAsync(99, minute: 2);

        Assert.That(odd.Outcome, Is.EqualTo(TimelineOutcome.Unchanged));
        Assert.That(odd.Rule, Is.EqualTo("UnknownWeComStatus"));
        Assert.That(await QuoteStatusAsync(), Is.EqualTo(QuoteStatus.PendingApproval));
    }

    [Test]
    public async Task OpenApproval_ForAnUnknownQuoteNumber_IsUnmatched()
    {
        var result = await SendAsync(Event(1, minute: 1) with { ThirdNo = "CIS-19990101-0001" });
        Assert.That(result.Outcome, Is.EqualTo(TimelineOutcome.Unmatched));
    }

    [Test]
    public void Event_WithAnOverlongThirdNo_IsInvalid() =>
        Assert.ThrowsAsync<ValidationException>(() => SendAsync(Event(1, minute: 1) with { ThirdNo = new string('9', 200) }));

    private Task<ApprovalEventResult> OpenEventAsync(int status, int minute) => SendAsync(Event(status, minute));

    private ApprovalEvent Event(int status, int minute) => new(
        $"test:{Interlocked.Increment(ref _key)}", ApprovalEvent.OpenApprovalChange, null, _number, status, null, "tpl",
        _services.Clock.GetUtcNow().AddMinutes(minute - 60), "<xml/>"); // in the past: future times are clamped

    private Task<ApprovalEventResult> SendAsync(ApprovalEvent e) =>
        _services.SendAsync(new HandleApprovalCallbackCommand(e, TimelineSource.Callback));

    private async Task<QuoteStatus> QuoteStatusAsync()
    {
        using var db = _database.NewContext();
        return (await db.Quotes.SingleAsync()).Status;
    }

    private async Task<int> ApprovalCountAsync()
    {
        using var db = _database.NewContext();
        return await db.ApprovalInstances.CountAsync();
    }
}
