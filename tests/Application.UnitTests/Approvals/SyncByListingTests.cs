using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.SubmitQuoteForApproval;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Application.UnitTests.Approvals;

/// <summary>
/// The sync learns what changed from WeCom's approval lists (ADR-27): one list scan per interval, a detail read only
/// for the approvals no longer listed as pending, lost revokes found on the revoked lists.
/// </summary>
[TestFixture]
public sealed class SyncByListingTests
{
    private const string Template = "tpl-quote";
    private const string NumberControl = "Text-quote-no";

    private TestDatabase _database = null!;
    private TestServices _services = null!;

    private FakeWeComApi WeCom => _services.WeCom;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.CreateFile();
        _services = Services();
        WeCom.PageSize = 100; // WeCom's own page size
    }

    [TearDown]
    public void TearDown()
    {
        _services.Dispose();
        _database.Dispose();
    }

    [Test]
    public async Task APass_Over300OpenApprovals_With1PercentChanged_CostsTheListPagesAndOneReadPerChange_AndFindsEveryChange()
    {
        var spNos = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            spNos.Add((await SubmitAsync((await CreateQuoteAsync()).Id)).SpNo!);
        }

        var changed = spNos.Where((_, i) => i % 100 == 7).ToList(); // 3 forms, their callbacks lost
        changed.ForEach(s => WeCom.SetStatus(s, changed.IndexOf(s) % 2 == 0 ? 2 : 3));
        _services.Clock.Advance(TimeSpan.FromMinutes(2));

        var pass = await _services.SendAsync(new SyncPendingApprovalsCommand());
        var calls = WeCom.CallsTo("getapprovalinfo") + WeCom.CallsTo("getapprovaldetail");

        using var db = _database.NewContext();
        var moved = await db.ApprovalInstances.CountAsync(a => a.SpNo != null && changed.Contains(a.SpNo) && !a.IsOpen);
        TestContext.Out.WriteLine($"N=300, 3 changed: {WeCom.CallsTo("getapprovalinfo")} list pages + {WeCom.CallsTo("getapprovaldetail")} detail reads = {calls} calls");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(moved, Is.EqualTo(3), "every change found in one pass");
            Assert.That(pass.Listed, Is.EqualTo(297));
            Assert.That(pass.Changed, Is.EqualTo(3));
            Assert.That(calls, Is.LessThanOrEqualTo((int)Math.Floor((3 + 3) * 1.05)), "⌈N/100⌉ + changed + 5 %");
            Assert.That(WeCom.CallsTo("getapprovaldetail"), Is.EqualTo(3), "a detail read for each change only");
        }
    }

    [Test]
    public async Task ALostRevoke_OfAnApprovedForm_IsRepairedByTheNextRun_FromTheRevokedList()
    {
        var submitted = await SubmitAsync((await CreateQuoteAsync()).Id);
        WeCom.SetStatus(submitted.SpNo!, 2);
        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        await _services.SendAsync(new SyncPendingApprovalsCommand()); // approved, read once

        WeCom.SetStatus(submitted.SpNo!, 6); // revoked after approval; the callback is lost
        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        var repair = await _services.SendAsync(new SyncPendingApprovalsCommand());

        using var db = _database.NewContext();
        var approval = await db.ApprovalInstances.Include(a => a.Quote).SingleAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(approval.Status, Is.EqualTo(ApprovalStatus.Cancelled));
            Assert.That(approval.Quote.Status, Is.EqualTo(QuoteStatus.Cancelled));
            Assert.That(repair.Changed, Is.EqualTo(1));
            Assert.That(WeCom.CallsTo("getapprovaldetail"), Is.EqualTo(1), "the revoke came from the list, with no detail read");
            Assert.That(await db.Timeline.CountAsync(t => t.Source == TimelineSource.Sync && t.Outcome == TimelineOutcome.Applied), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ARevokeOlderThanTheLookBack_IsNotLookedFor()
    {
        _services.Dispose();
        _services = Services(("WeCom:Sync:RevokeLookBack", "1.00:00:00"));
        var submitted = await SubmitAsync((await CreateQuoteAsync()).Id);
        WeCom.SetStatus(submitted.SpNo!, 2);
        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        await _services.SendAsync(new SyncPendingApprovalsCommand());
        WeCom.SetStatus(submitted.SpNo!, 6);
        _services.Clock.Advance(TimeSpan.FromDays(2));
        var infoBefore = WeCom.CallsTo("getapprovalinfo");

        await _services.SendAsync(new SyncPendingApprovalsCommand());

        using var db = _database.NewContext();
        Assert.That((await db.ApprovalInstances.SingleAsync()).Status, Is.EqualTo(ApprovalStatus.Approved));
        Assert.That(WeCom.CallsTo("getapprovalinfo") - infoBefore, Is.EqualTo(1), "only our template's pending page");
    }

    [Test]
    public async Task AnApprovalOlderThanTheListWindow_IsReadOnItsOwn_AtTheSlowerCadence()
    {
        _services.Dispose();
        _services = Services(("WeCom:Sync:ListWindow", "01:00:00"), ("WeCom:Sync:RevokeLookBack", "00:30:00"));
        await SubmitAsync((await CreateQuoteAsync()).Id);
        var reads = new List<int>();
        foreach (var step in new[] { TimeSpan.FromHours(2), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(30) })
        {
            _services.Clock.Advance(step);
            await _services.SendAsync(new SyncPendingApprovalsCommand());
            reads.Add(WeCom.CallsTo("getapprovaldetail"));
        }

        Assert.That(reads, Is.EqualTo(new[] { 1, 1, 2 }), "read at once, then every WeCom:Sync:OldApprovalInterval (30 min)");
    }

    [Test]
    public async Task WhenTheListScanFails_OpenApprovalsAreReadOneByOne_AndTheFailureIsAWarning()
    {
        for (var i = 0; i < 3; i++)
        {
            await SubmitAsync((await CreateQuoteAsync()).Id);
        }

        for (var i = 0; i < 10; i++)
        {
            WeCom.FailNext(new WeComApiUnavailableException("oa/getapprovalinfo", new TimeoutException()), "getapprovalinfo");
        }

        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        var first = await _services.SendAsync(new SyncPendingApprovalsCommand());
        var readsAfterFirst = WeCom.CallsTo("getapprovaldetail");
        _services.Clock.Advance(TimeSpan.FromMinutes(3)); // two intervals without a scan reaching them
        await _services.SendAsync(new SyncPendingApprovalsCommand());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Failed, Is.EqualTo(1));
            Assert.That(readsAfterFirst, Is.Zero, "within two intervals the next scan may still confirm them");
            Assert.That(WeCom.CallsTo("getapprovaldetail"), Is.EqualTo(3));
            Assert.That(_services.Logs.Entries.Where(e => e.Message.Contains("list scan failed")).Select(e => e.Level),
                Is.Not.Empty.And.All.EqualTo(LogLevel.Warning));
        }
    }

    [Test]
    public async Task OpenEngineApprovals_AreReadOneCallEach()
    {
        var quote = await CreateQuoteAsync();
        WeCom.AddForm("open-tpl", new() { ["third_no"] = quote.Number });
        await _services.SendAsync(new HandleApprovalCallbackCommand(new ApprovalEvent("sha256:open-1", ApprovalEvent.OpenApprovalChange,
            null, quote.Number, 1, null, "open-tpl", _services.Clock.GetUtcNow(), "<xml/>"), TimelineSource.Callback));

        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        await _services.SendAsync(new SyncPendingApprovalsCommand());
        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        await _services.SendAsync(new SyncPendingApprovalsCommand());

        Assert.That(WeCom.CallsTo("getopenapprovaldata"), Is.EqualTo(2), "one read per run");
        Assert.That(WeCom.CallsTo("getapprovalinfo"), Is.EqualTo(2), "our template's pending page only: open approvals have no list");
    }

    [Test]
    public async Task AFormMadeInWeComForOurQuote_IsAdoptedFromTheScansPendingPage_WithoutASweepOfItsOwn()
    {
        var quote = await CreateQuoteAsync();
        WeCom.AddForm(Template, new() { [NumberControl] = quote.Number });

        var report = await _services.SendAsync(new SyncPendingApprovalsCommand());

        using var db = _database.NewContext();
        Assert.That(report.Reconciled, Is.EqualTo(1));
        Assert.That(WeCom.CallsTo("getapprovalinfo"), Is.EqualTo(1), "the scan's page, read once");
        Assert.That((await db.Quotes.SingleAsync()).Status, Is.EqualTo(QuoteStatus.PendingApproval));
    }

    private TestServices Services(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeCom:CorpId"] = "ww1436e0e65a779aee",
            ["WeCom:Secret"] = "secret",
            ["WeCom:Approval:TemplateId"] = Template,
            ["WeCom:Approval:Controls:QuoteNumber"] = NumberControl,
            ["WeCom:Approval:Controls:Amount"] = "Money-amount",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new TestServices(_database, settings);
    }

    private Task<Application.Approvals.GetQuote.QuoteDto> CreateQuoteAsync() =>
        _services.SendAsync(new CreateQuoteCommand("Pumps", "ACME", 100m, "CNY"));

    private Task<QuoteSubmissionDto> SubmitAsync(Guid quoteId) =>
        _services.SendAsync(new SubmitQuoteForApprovalCommand(quoteId, "WangXiaoMing", null, null));
}
