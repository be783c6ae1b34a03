using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.SubmitQuoteForApproval;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.UnitTests.Approvals;

[TestFixture]
public sealed class SubmitAndSyncTests
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
        _services = new TestServices(_database, new Dictionary<string, string?>
        {
            ["WeCom:CorpId"] = "ww1436e0e65a779aee",
            ["WeCom:Secret"] = "secret",
            ["WeCom:Approval:TemplateId"] = Template,
            ["WeCom:Approval:Controls:QuoteNumber"] = NumberControl,
            ["WeCom:Approval:Controls:Amount"] = "Money-amount",
            ["WeCom:CallBudget:PerMinute"] = "60",
            ["WeCom:CallBudget:SubmissionReserve"] = "10", // background work may bring a minute to 50 calls
        });
    }

    [TearDown]
    public void TearDown()
    {
        _services.Dispose();
        _database.Dispose();
    }

    [Test]
    public async Task Submit_WhenWeComAccepts_QuoteIsPendingWithSpNoAndASubmitTimelineRow()
    {
        var quote = await CreateQuoteAsync();

        var result = await SubmitAsync(quote.Id);

        using var db = _database.NewContext();
        var approval = await db.ApprovalInstances.SingleAsync();
        var timeline = await db.Timeline.SingleAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Submission, Is.EqualTo(SubmissionState.Submitted));
            Assert.That(result.Status, Is.EqualTo(QuoteStatus.PendingApproval));
            Assert.That(approval.SpNo, Is.EqualTo(result.SpNo).And.Not.Null);
            Assert.That(approval.ThirdNo, Is.EqualTo(quote.Number));
            Assert.That(approval.CreatorUserId, Is.EqualTo("WangXiaoMing"));
            Assert.That(timeline.Source, Is.EqualTo(TimelineSource.Submit));
            Assert.That(WeCom.Forms[result.SpNo!].Controls[NumberControl], Is.EqualTo(quote.Number));
            Assert.That(WeCom.Forms[result.SpNo!].Controls["Money-amount"], Is.EqualTo("100.00"));
        }
    }

    [Test]
    public async Task Submit_WhileAnApprovalIsOpen_Is409AndCallsWeComOnce()
    {
        var quote = await CreateQuoteAsync();
        await SubmitAsync(quote.Id);

        var error = Assert.ThrowsAsync<BusinessRuleException>(() => SubmitAsync(quote.Id));

        Assert.That(error!.RuleName, Is.EqualTo("QuoteCanBeSubmittedOnlyFromDraftRejectedOrCancelled"));
        Assert.That(WeCom.CallsTo("applyevent"), Is.EqualTo(1));
    }

    [Test]
    public async Task Submit_WhenWeComRefuses_Is502AndTheQuoteStaysDraftAndCanBeSubmittedAgain()
    {
        var quote = await CreateQuoteAsync();
        WeCom.FailNext(new WeComApiException("oa/applyevent", 301025, "creator_userid not in app visiable range"));

        var error = Assert.ThrowsAsync<UpstreamRefusedException>(() => SubmitAsync(quote.Id));
        var again = await SubmitAsync(quote.Id);

        Assert.That(error!.ErrCode, Is.EqualTo(301025));
        Assert.That(again.Submission, Is.EqualTo(SubmissionState.Submitted));
        using var db = _database.NewContext();
        Assert.That(await db.ApprovalInstances.CountAsync(a => a.SubmissionState == SubmissionState.Abandoned), Is.EqualTo(1));
    }

    [Test]
    public async Task Submit_WhenTheAnswerIsLost_ReconciliationFindsTheFormAndNothingIsSubmittedTwice()
    {
        var quote = await CreateQuoteAsync();
        WeCom.LoseApplyAnswer = new WeComApiUnavailableException("oa/applyevent", new TimeoutException());

        var first = await SubmitAsync(quote.Id);
        var retry = Assert.ThrowsAsync<BusinessRuleException>(() => SubmitAsync(quote.Id)); // the intent still holds
        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        var report = await _services.SendAsync(new SyncPendingApprovalsCommand());

        using var db = _database.NewContext();
        var approval = await db.ApprovalInstances.Include(a => a.Quote).SingleAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Submission, Is.EqualTo(SubmissionState.Requested));
            Assert.That(first.Status, Is.EqualTo(QuoteStatus.Draft));
            Assert.That(retry, Is.Not.Null);
            Assert.That(report.Reconciled, Is.EqualTo(1));
            Assert.That(approval.SpNo, Is.EqualTo(WeCom.Forms.Keys.Single()));
            Assert.That(approval.SubmissionState, Is.EqualTo(SubmissionState.Submitted));
            Assert.That(approval.Quote.Status, Is.EqualTo(QuoteStatus.PendingApproval));
            Assert.That(WeCom.CallsTo("applyevent"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Reconciliation_WhenTheStoreRefusesTheAdoption_LogsAnError_NotJustAWarning()
    {
        // EF's own failed-command events are Debug (ADR-14): a failure that is not a unique clash must be
        // logged at Error by the code that catches it.
        var quote = await CreateQuoteAsync();
        WeCom.LoseApplyAnswer = new WeComApiUnavailableException("oa/applyevent", new TimeoutException());
        await SubmitAsync(quote.Id);
        using (var db = _database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_sp_no BEFORE UPDATE OF sp_no ON approval_instance BEGIN SELECT RAISE(ABORT, 'store refused (injected)'); END;");
        }

        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        var report = await _services.SendAsync(new SyncPendingApprovalsCommand());

        var errors = _services.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Reconciled, Is.Zero);
            Assert.That(errors.Where(e => e.Category.EndsWith("FormAdopter", StringComparison.Ordinal)
                                          && e.Exception is DbUpdateException).ToList(), Has.Count.EqualTo(1),
                string.Join("; ", _services.Logs.Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
        }
    }

    [Test]
    public async Task Sync_WhenAnUnknownOutcomeNeverReachedWeCom_AbandonsItAfterTheGracePeriod()
    {
        var quote = await CreateQuoteAsync();
        WeCom.FailNext(new WeComApiUnavailableException("oa/applyevent", new HttpRequestException("reset")));
        await SubmitAsync(quote.Id);

        _services.Clock.Advance(TimeSpan.FromMinutes(5));
        var early = await _services.SendAsync(new SyncPendingApprovalsCommand());
        _services.Clock.Advance(TimeSpan.FromMinutes(15));
        var late = await _services.SendAsync(new SyncPendingApprovalsCommand());
        var again = await SubmitAsync(quote.Id);

        Assert.That(early.Abandoned, Is.Zero);
        Assert.That(late.Abandoned, Is.EqualTo(1));
        Assert.That(again.Submission, Is.EqualTo(SubmissionState.Submitted));
    }

    [Test]
    public async Task Sync_WhenTheApprovedCallbackWasDropped_AppliesItWithSourceSync()
    {
        var quote = await CreateQuoteAsync();
        var submitted = await SubmitAsync(quote.Id);
        WeCom.SetStatus(submitted.SpNo!, 2);
        // The rows are ordered by ReceivedAt, then by a version-7 Guid of the same instant: without time passing
        // between submit and sync, their order is random and the assertion below fails about half the time.
        _services.Clock.Advance(TimeSpan.FromMinutes(2));

        var report = await _services.SendAsync(new SyncPendingApprovalsCommand());
        var repeat = await _services.SendAsync(new SyncPendingApprovalsCommand());

        using var db = _database.NewContext();
        var rows = await db.Timeline.OrderBy(t => t.ReceivedAt).ThenBy(t => t.Id).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Changed, Is.EqualTo(1));
            Assert.That(repeat.Synced, Is.Zero, "an approved approval is no longer open");
            Assert.That((await db.Quotes.SingleAsync()).Status, Is.EqualTo(QuoteStatus.Approved));
            Assert.That(rows.Select(r => (r.Source, r.Outcome)),
                Is.EqualTo(new[] { (TimelineSource.Submit, TimelineOutcome.Applied), (TimelineSource.Sync, TimelineOutcome.Applied) }));
        }
    }

    [Test]
    public async Task Sync_OfAStillPendingApproval_ReadsTheListOncePerRun_AndNoDetail_AndRecordsNothing()
    {
        var quote = await CreateQuoteAsync();
        await SubmitAsync(quote.Id);

        var reports = new List<SyncReport>();
        for (var i = 0; i < 3; i++)
        {
            _services.Clock.Advance(TimeSpan.FromMinutes(2));
            reports.Add(await _services.SendAsync(new SyncPendingApprovalsCommand()));
        }

        using var db = _database.NewContext();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reports.Select(r => (r.Listed, r.Synced, r.Calls)), Is.All.EqualTo((1, 0, 1)), "one list page per run confirms it");
            Assert.That(WeCom.CallsTo("getapprovaldetail"), Is.Zero);
            Assert.That(await db.Timeline.CountAsync(t => t.Source == TimelineSource.Sync), Is.Zero);
        }
    }

    [Test]
    public async Task Sync_WhenWeComSays45009_StopsTheRunAndReportsRateLimited()
    {
        for (var i = 0; i < 3; i++)
        {
            await SubmitAsync((await CreateQuoteAsync()).Id);
        }

        WeCom.FailNext(new WeComApiException("oa/getapprovalinfo", 45009, "api freq out of limit"));
        var report = await _services.SendAsync(new SyncPendingApprovalsCommand());

        Assert.That(report.RateLimited, Is.True);
        Assert.That(WeCom.CallsTo("getapprovalinfo"), Is.EqualTo(1), "no call after the limit was hit");
        Assert.That(WeCom.CallsTo("getapprovaldetail"), Is.Zero);
    }

    [Test]
    public async Task Sync_SpendsAtMostTheBackgroundShareOfAMinute()
    {
        for (var i = 0; i < 60; i++)
        {
            await SubmitAsync((await CreateQuoteAsync()).Id);
        }

        WeCom.PageSize = 1; // 60 list pages wanted
        _services.Clock.Advance(TimeSpan.FromMinutes(1)); // the 60 submissions spent their minute's budget
        var report = await _services.SendAsync(new SyncPendingApprovalsCommand());

        Assert.That(report.Calls, Is.EqualTo(50));
        Assert.That(report.BudgetSpent, Is.True);
        Assert.That(WeCom.CallsTo("getapprovaldetail") + WeCom.CallsTo("getapprovalinfo"), Is.EqualTo(50));
    }

    [Test]
    public async Task Sync_ApprovalsWeComKeepsRefusing_DoNotStarveTheOthers()
    {
        var spNos = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            spNos.Add((await SubmitAsync((await CreateQuoteAsync()).Id)).SpNo!);
        }

        spNos.ForEach(s => WeCom.SetStatus(s, 2)); // every callback lost: each needs a read of its own
        for (var i = 0; i < 49; i++)
        {
            WeCom.FailNext(new WeComApiUnavailableException("oa/getapprovaldetail", new TimeoutException()), "getapprovaldetail");
        }

        _services.Clock.Advance(TimeSpan.FromMinutes(1)); // the 60 submissions spent their minute's budget
        var first = await _services.SendAsync(new SyncPendingApprovalsCommand());
        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        var second = await _services.SendAsync(new SyncPendingApprovalsCommand());

        var neverRead = spNos.Where(s => !WeCom.Calls.ContainsKey("getapprovaldetail:" + s)).ToList();
        Assert.That(first.Failed, Is.EqualTo(49), "one list page, then 49 refused reads");
        Assert.That(neverRead, Is.Empty, "the second run reads the eleven the first never reached, before retrying the refused ones");
        Assert.That(second.Changed, Is.EqualTo(49), "the eleven first, then as many refused ones as the budget pays for");
    }

    [Test]
    public async Task Sync_TwoInstancesAtOnce_ScanTheListsOnce_AndReadEachChangedApprovalOnce()
    {
        var spNos = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            spNos.Add((await SubmitAsync((await CreateQuoteAsync()).Id)).SpNo!);
        }

        spNos.ForEach(s => WeCom.SetStatus(s, 3));
        using var other = new TestServices(_database, new Dictionary<string, string?>
        {
            ["WeCom:CorpId"] = "ww1436e0e65a779aee", ["WeCom:Secret"] = "secret",
        }, sharedWeCom: WeCom);
        other.Clock.SetUtcNow(_services.Clock.GetUtcNow());

        var reports = await Task.WhenAll(
            _services.SendAsync(new SyncPendingApprovalsCommand()),
            other.SendAsync(new SyncPendingApprovalsCommand()));

        var perForm = WeCom.Calls.Where(c => c.Key.StartsWith("getapprovaldetail:", StringComparison.Ordinal)).Select(c => c.Value).ToList();
        Assert.That(perForm, Has.Count.EqualTo(10).And.All.EqualTo(1), "every changed approval read once, by one instance");
        Assert.That(reports.Sum(r => r.Synced), Is.EqualTo(10));
        Assert.That(WeCom.CallsTo("getapprovalinfo"), Is.EqualTo(1), "one instance scanned the list");
    }

    [Test]
    public async Task Callback_AfterSyncApplied_IsUnchanged()
    {
        var quote = await CreateQuoteAsync();
        var submitted = await SubmitAsync(quote.Id);
        WeCom.SetStatus(submitted.SpNo!, 2);
        await _services.SendAsync(new SyncPendingApprovalsCommand());

        var late = await _services.SendAsync(new HandleApprovalCallbackCommand(new ApprovalEvent("sha256:late", ApprovalEvent.SystemApprovalChange,
            submitted.SpNo, null, 2, 2, Template, _services.Clock.GetUtcNow().AddSeconds(-30), "<xml/>"), TimelineSource.Callback));

        Assert.That(late.Outcome, Is.EqualTo(TimelineOutcome.Unchanged));
    }

    [Test]
    public async Task Sync_WhenAFormOfOurTemplateCarriesJunk_RecordsItUnmatched_AndStillReconcilesTheRest()
    {
        WeCom.AddForm(Template, new() { [NumberControl] = new string('9', 300) });
        var quote = await CreateQuoteAsync();
        WeCom.LoseApplyAnswer = new WeComApiUnavailableException("oa/applyevent", new TimeoutException());
        await SubmitAsync(quote.Id);

        var report = await _services.SendAsync(new SyncPendingApprovalsCommand());
        _services.Clock.Advance(TimeSpan.FromMinutes(2));
        var again = await _services.SendAsync(new SyncPendingApprovalsCommand());

        using var db = _database.NewContext();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Reconciled, Is.EqualTo(1));
            Assert.That(report.Failed, Is.Zero);
            Assert.That(await db.Timeline.CountAsync(t => t.Outcome == TimelineOutcome.Unmatched), Is.EqualTo(1));
            Assert.That(again.Calls, Is.EqualTo(1), "one list page: the open approval is listed as pending, and the junk form is not read again");
        }
    }

    [TestCase(-1)]
    [TestCase(45033)]
    public async Task Submit_WhenWeComIsBusy_IsAnUnknownOutcome_NotARefusal(int errCode)
    {
        var quote = await CreateQuoteAsync();
        WeCom.FailNext(new WeComApiException("oa/applyevent", errCode, "system busy"));

        var result = await SubmitAsync(quote.Id);

        Assert.That(result.Submission, Is.EqualTo(SubmissionState.Requested));
    }

    private Task<Application.Approvals.GetQuote.QuoteDto> CreateQuoteAsync() =>
        _services.SendAsync(new CreateQuoteCommand("Pumps", "ACME", 100m, "CNY"));

    private Task<QuoteSubmissionDto> SubmitAsync(Guid quoteId) =>
        _services.SendAsync(new SubmitQuoteForApprovalCommand(quoteId, "WangXiaoMing", null, null));
}
