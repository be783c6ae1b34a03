using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Simulator.State;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

/// <summary>Quotes through WeCom and back, with the local simulator playing qyapi.weixin.qq.com over real HTTP.</summary>
[TestFixture]
public sealed class WeComRoundTripTests
{
    private WeComRoundTrip _trip = null!;
    private HttpClient _api = null!;

    [SetUp]
    public async Task SetUp()
    {
        _trip = await WeComRoundTrip.StartAsync();
        _api = _trip.Factory.CreateClientAs("sales", "admin");
    }

    [TearDown]
    public async Task TearDown()
    {
        _api.Dispose();
        await _trip.DisposeAsync();
    }

    [Test]
    public async Task Quote_GoesDraftPendingApproved_ThroughSubmitAndTheSimulatorsCallback()
    {
        var quote = await CreateQuoteAsync();

        var submitted = await HttpAssert.OkJsonAsync(await _api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { }), HttpStatusCode.Created);
        var spNo = submitted.GetProperty("spNo").GetString()!;
        var pending = await StatusAsync(quote.Id);
        _trip.Factory.Clock.Advance(TimeSpan.FromSeconds(1)); // the timeline orders by time received
        var watch = Stopwatch.StartNew();
        var change = await _trip.Simulator.State.ApproveAsync(spNo);
        await WeComRoundTrip.EventuallyAsync(async () => await StatusAsync(quote.Id) == "approved", "quote approved");
        TestContext.Out.WriteLine($"approve → callback → approved: {watch.ElapsedMilliseconds} ms");

        var form = _trip.Simulator.State.FindApproval(spNo)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending, Is.EqualTo("pending_approval"));
            Assert.That(submitted.GetProperty("submission").GetString(), Is.EqualTo("submitted"));
            Assert.That(form.ControlValue(WeComRoundTrip.NumberControl), Is.EqualTo(quote.Number));
            Assert.That(change.Deliveries.Select(d => d.StatusCode), Is.All.EqualTo(200));
            Assert.That(await TimelineSourcesAsync(quote.Id), Is.EqualTo(new[] { "submit:applied", "callback:applied" }));
        }
    }

    [Test]
    public async Task Submit_UsesTheCallersWeComUserId_AndRefusesASecondSubmit()
    {
        var quote = await CreateQuoteAsync();
        await HttpAssert.OkJsonAsync(await _api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { }), HttpStatusCode.Created);

        var second = await _api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { });

        var problem = await HttpAssert.ProblemAsync(second, HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("rule").GetString(), Is.EqualTo("QuoteCanBeSubmittedOnlyFromDraftRejectedOrCancelled"));
        Assert.That(_trip.Simulator.State.Approvals().Single().Creator, Is.EqualTo("WangXiaoMing"));
    }

    [Test]
    public async Task DroppedCallback_IsRepairedByTheNextSync()
    {
        var quote = await CreateQuoteAsync();
        var spNo = await SubmitAsync(quote.Id);
        _trip.Simulator.State.DropNextCallbacks(1);
        _trip.Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await _trip.Simulator.State.ApproveAsync(spNo);
        await _trip.Factory.WaitForInboxAsync();
        var before = await StatusAsync(quote.Id);

        _trip.Factory.Clock.Advance(TimeSpan.FromMinutes(2)); // one sync interval
        await WeComRoundTrip.EventuallyAsync(async () => await StatusAsync(quote.Id) == "approved", "sync repaired the quote");

        Assert.That(before, Is.EqualTo("pending_approval"));
        Assert.That(await TimelineSourcesAsync(quote.Id), Is.EqualTo(new[] { "submit:applied", "sync:applied" }));
    }

    [Test]
    public async Task LostApplyEventAnswer_IsReconciled_WithoutASecondSubmission()
    {
        var quote = await CreateQuoteAsync();
        _trip.Simulator.State.InjectFault("/cgi-bin/oa/applyevent", new Fault(HttpStatus: 502, AfterProcessing: true));

        var accepted = await HttpAssert.OkJsonAsync(await _api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { }), HttpStatusCode.Accepted);
        var retry = await _api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { });
        var report = await HttpAssert.OkJsonAsync(await _api.PostAsync("/api/admin/approvals/sync", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(accepted.GetProperty("submission").GetString(), Is.EqualTo("requested"));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(report.GetProperty("reconciled").GetInt32(), Is.EqualTo(1));
            Assert.That(_trip.Simulator.State.Approvals(), Has.Count.EqualTo(1), "no duplicate approval in WeCom");
            Assert.That(await StatusAsync(quote.Id), Is.EqualTo("pending_approval"));
        }
    }

    [Test]
    public async Task ExpiredToken_IsRefreshedOnce()
    {
        var quote = await CreateQuoteAsync();
        var spNo = await SubmitAsync(quote.Id);
        _trip.Simulator.State.RevokeCorpToken();
        _trip.Simulator.State.DropNextCallbacks(1); // the sync must read the detail, with a dead token
        await _trip.Simulator.State.ApproveAsync(spNo);

        var report = await HttpAssert.OkJsonAsync(await _api.PostAsync("/api/admin/approvals/sync", null));

        Assert.That(report.GetProperty("failed").GetInt32(), Is.Zero);
        Assert.That(report.GetProperty("changed").GetInt32(), Is.EqualTo(1));
        Assert.That(_trip.Simulator.State.Counters().CorpTokenFetches, Is.EqualTo(2));
    }

    [Test]
    public async Task FrequencyLimit_StopsTheSyncRun()
    {
        for (var i = 0; i < 3; i++)
        {
            await SubmitAsync((await CreateQuoteAsync()).Id);
        }

        _trip.Simulator.State.InjectFault("/cgi-bin/oa/getapprovalinfo", Fault.Error(45009));
        var report = await HttpAssert.OkJsonAsync(await _api.PostAsync("/api/admin/approvals/sync", null));

        Assert.That(report.GetProperty("rateLimited").GetBoolean(), Is.True);
        Assert.That(report.GetProperty("calls").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task AFailingListScan_IsReported_AndShownInTheWorkQueuesView_ThenClearsWhenWeComAnswers()
    {
        await SubmitAsync((await CreateQuoteAsync()).Id);
        _trip.Simulator.State.InjectFault("/cgi-bin/oa/getapprovalinfo", Fault.Http(500));

        var failed = await HttpAssert.OkJsonAsync(await _api.PostAsync("/api/admin/approvals/sync", null));
        var failing = await ListScanQueueAsync();
        var recovered = await HttpAssert.OkJsonAsync(await _api.PostAsync("/api/admin/approvals/sync", null));
        var healthy = await ListScanQueueAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.GetProperty("failed").GetInt32(), Is.EqualTo(1));
            Assert.That(failing.GetProperty("byStatus").GetProperty("failing").GetInt32(), Is.EqualTo(1));
            Assert.That(failing.GetProperty("dueNow").GetInt32(), Is.EqualTo(1), "a failed scan is due again at once");
            Assert.That(recovered.GetProperty("listed").GetInt32(), Is.EqualTo(1));
            Assert.That(healthy.GetProperty("byStatus").GetProperty("failing").GetInt32(), Is.Zero);
            Assert.That(healthy.GetProperty("dueNow").GetInt32(), Is.Zero);
        }
    }

    [Test]
    public async Task WeComRefusal_Is502WithTheErrcode_AndTheQuoteStaysDraft()
    {
        var quote = await CreateQuoteAsync();
        // WeCom refusing a form is a 502 an operator must look at (visible range, template): Error, on purpose here.
        using var refusedUseCase = LogCapture.Instance.ExpectErrors(LogAssert.UseCaseSource, LogAssert.UseCaseTemplate);
        using var refusedRequest = LogCapture.Instance.ExpectErrors(LogAssert.RequestLogSource, LogAssert.RequestLogTemplate);
        _trip.Simulator.State.InjectFault("/cgi-bin/oa/applyevent", Fault.Error(301025));

        var problem = await HttpAssert.ProblemAsync(
            await _api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { }), HttpStatusCode.BadGateway);

        Assert.That(problem.GetProperty("errcode").GetInt32(), Is.EqualTo(301025));
        Assert.That(await StatusAsync(quote.Id), Is.EqualTo("draft"));
    }

    [Test]
    public async Task Submit_WithoutACreator_Is400_AndAsAnUnknownRole_Is403()
    {
        var quote = await CreateQuoteAsync();
        using var noClaim = _trip.Factory.CreateClient();
        noClaim.DefaultRequestHeaders.Authorization = new("Bearer", _trip.Factory.CreateToken(withWeComUserId: false, "sales"));
        using var viewer = _trip.Factory.CreateClientAs("viewer");

        await HttpAssert.ProblemAsync(await noClaim.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { }), HttpStatusCode.BadRequest);
        await HttpAssert.ProblemAsync(await viewer.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { }), HttpStatusCode.Forbidden);
        Assert.That(_trip.Simulator.State.Approvals(), Is.Empty);
    }

    [Test]
    public async Task Submit_WhenWeComIsNotConfigured_Is503()
    {
        using var plain = new CrmApiFactory();
        using var client = plain.CreateClientAs("sales");
        var quote = await HttpAssert.OkJsonAsync(
            await client.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "ACME", amount = 100m, currency = "CNY" }), HttpStatusCode.Created);

        var response = await client.PostJsonAsync($"/api/quotes/{quote.GetProperty("id").GetGuid()}/submit-approval", new { });
        await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
    }

    private async Task<(Guid Id, string Number)> CreateQuoteAsync()
    {
        var quote = await HttpAssert.OkJsonAsync(
            await _api.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "ACME", amount = 1200.5m, currency = "CNY" }),
            HttpStatusCode.Created);
        return (quote.GetProperty("id").GetGuid(), quote.GetProperty("number").GetString()!);
    }

    private async Task<string> SubmitAsync(Guid id) =>
        (await HttpAssert.OkJsonAsync(await _api.PostJsonAsync($"/api/quotes/{id}/submit-approval", new { }), HttpStatusCode.Created))
        .GetProperty("spNo").GetString()!;

    private async Task<string> StatusAsync(Guid id) =>
        (await HttpAssert.OkJsonAsync(await _api.GetAsync($"/api/quotes/{id}"))).GetProperty("status").GetString()!;

    private async Task<string[]> TimelineSourcesAsync(Guid id) =>
        (await HttpAssert.OkJsonAsync(await _api.GetAsync($"/api/quotes/{id}/timeline"))).EnumerateArray()
        .Where(t => t.GetProperty("outcome").GetString() != "unchanged")
        .Select(t => $"{t.GetProperty("source").GetString()}:{t.GetProperty("outcome").GetString()}").ToArray();

    private async Task<JsonElement> ListScanQueueAsync() =>
        (await HttpAssert.OkJsonAsync(await _api.GetAsync("/api/admin/work-queues"))).EnumerateArray()
        .Single(q => q.GetProperty("kind").GetString() == "approval_list_scan");
}
