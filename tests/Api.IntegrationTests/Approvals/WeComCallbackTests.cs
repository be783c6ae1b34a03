using System.Net;
using System.Text;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

[TestFixture]
public sealed class WeComCallbackTests
{
    private CrmApiFactory _factory = null!;
    private WeComCallbackClient _wecom = null!;
    private HttpClient _api = null!;

    [SetUp]
    public void SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _api = _factory.CreateClientAs("sales", "admin");
        _wecom = new WeComCallbackClient(_factory);
    }

    [TearDown]
    public void TearDown()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    private long Now => _factory.Clock.GetUtcNow().ToUnixTimeSeconds();

    [Test]
    public async Task Get_WithOfficialVectorB1_EchoesThePlaintextVerbatim()
    {
        // The echostr as WeCom sends it: URL-encoded once (%2B, %2F, %3D).
        var response = await _factory.CreateClient().GetAsync(
            "/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780" +
            "&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(bytes, Is.EqualTo(Encoding.ASCII.GetBytes("1616140317555161061")), "no quotes, BOM or newline");
        }
    }

    [Test]
    public async Task Get_WithWrongSignature_Is400NamingTheCode()
    {
        var response = await _factory.CreateClient().GetAsync(
            "/wecom/callback?msg_signature=0000ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780" +
            "&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("-40001").And.Not.Contain(WeComCallbackClient.EncodingAesKey).And.Not.Contain(WeComCallbackClient.Token));
    }

    [Test]
    public async Task OpenApprovalChange_MovesADraftQuoteToPendingThenApproved()
    {
        var quote = await CreateQuoteAsync();

        var pending = await _wecom.PostAsync(WeComMessages.OpenApprovalChange(quote.Number, 1, Now));
        await _factory.WaitForInboxAsync();
        var afterPending = await GetQuoteAsync(quote.Id);
        _factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var approved = await _wecom.PostAsync(WeComMessages.OpenApprovalChange(quote.Number, 2, Now, approverStep: 1));
        await _factory.WaitForInboxAsync();
        var afterApproved = await GetQuoteAsync(quote.Id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await pending.Content.ReadAsStringAsync(), Is.EqualTo("success"));
            Assert.That(await approved.Content.ReadAsStringAsync(), Is.EqualTo("success"));
            Assert.That(afterPending.Status, Is.EqualTo("pending_approval"));
            Assert.That(afterPending.ApprovalStatus, Is.EqualTo("pending"));
            Assert.That(afterApproved.Status, Is.EqualTo("approved"));
            Assert.That(afterApproved.ApprovalStatus, Is.EqualTo("approved"));
            Assert.That(await OutcomesAsync(quote.Id), Is.EqualTo(new[] { "applied", "applied" }));
        }
    }

    [TestCase(3, "rejected")]
    [TestCase(4, "cancelled")]
    public async Task OpenApprovalChange_EndsInRejectedOrCancelled(int code, string expected)
    {
        var quote = await CreateQuoteAsync();
        await _wecom.PostAsync(WeComMessages.OpenApprovalChange(quote.Number, 1, Now));
        _factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await _wecom.PostAsync(WeComMessages.OpenApprovalChange(quote.Number, code, Now));
        await _factory.WaitForInboxAsync();

        Assert.That((await GetQuoteAsync(quote.Id)).Status, Is.EqualTo(expected));
    }

    [TestCase(2, 2, "approved")]
    [TestCase(3, 3, "rejected")]
    [TestCase(4, 6, "cancelled")]
    [TestCase(10, 2, "approved")]
    public async Task SysApprovalChange_ForAKnownSpNo_UpdatesTheQuote(int spStatus, int changeEvent, string expected)
    {
        var quote = await CreateQuoteAsync();
        await StartSystemApprovalAsync(quote.Id, "202611220001");

        var response = await _wecom.PostAsync(WeComMessages.SysApprovalChange("202611220001", spStatus, changeEvent, Now));
        await _factory.WaitForInboxAsync();

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("success"));
        Assert.That((await GetQuoteAsync(quote.Id)).Status, Is.EqualTo(expected));
    }

    [Test]
    public async Task SameCallback_FiveTimes_RecordsOneTimelineRow()
    {
        var quote = await CreateQuoteAsync();
        var message = WeComMessages.OpenApprovalChange(quote.Number, 1, Now);

        for (var i = 0; i < 5; i++)
        {
            Assert.That(await (await _wecom.PostAsync(message)).Content.ReadAsStringAsync(), Is.EqualTo("success"));
        }

        await _factory.WaitForInboxAsync();
        Assert.That(await OutcomesAsync(quote.Id), Is.EqualTo(new[] { "applied" }));
        Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(1));
    }

    [Test]
    public async Task SameCallback_TwentyTimesConcurrently_AllAcknowledged_OneAppliedRow()
    {
        var quote = await CreateQuoteAsync();
        var message = WeComMessages.OpenApprovalChange(quote.Number, 1, Now);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _wecom.PostAsync(message)));
        await _factory.WaitForInboxAsync();

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(await OutcomesAsync(quote.Id), Is.EqualTo(new[] { "applied" }));
        Assert.That((await GetQuoteAsync(quote.Id)).Status, Is.EqualTo("pending_approval"));
    }

    [Test]
    public async Task ApprovedThenPending_StaysApproved_AndRecordsTheSecondAsStale()
    {
        var quote = await CreateQuoteAsync();
        await StartSystemApprovalAsync(quote.Id, "202611220002");
        await _wecom.PostAsync(WeComMessages.SysApprovalChange("202611220002", 2, 2, Now));
        await _factory.WaitForInboxAsync();
        _factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await _wecom.PostAsync(WeComMessages.SysApprovalChange("202611220002", 1, 1, Now - 120)); // a late, older event
        await _factory.WaitForInboxAsync();

        var timeline = await TimelineAsync(quote.Id);
        Assert.That((await GetQuoteAsync(quote.Id)).Status, Is.EqualTo("approved"));
        Assert.That(timeline.Select(t => t.Outcome), Is.EqualTo(new[] { "applied", "stale" }));
        Assert.That(timeline[1].Rule, Is.EqualTo("TerminalApprovalCannotReturnToPending"));
    }

    [Test]
    public async Task EventDatedInTheFuture_IsClampedToItsReceipt_SoLaterRealEventsStillApply()
    {
        var quote = await CreateQuoteAsync();
        var receivedAt = _factory.Clock.GetUtcNow();
        var year2100 = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await _wecom.PostAsync(WeComMessages.OpenApprovalChange(quote.Number, 1, year2100.ToUnixTimeSeconds()));
        await _factory.WaitForInboxAsync();
        _factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await _wecom.PostAsync(WeComMessages.OpenApprovalChange(quote.Number, 2, Now, approverStep: 1));
        await _factory.WaitForInboxAsync();

        var rows = await _factory.WithDbAsync(db => db.Timeline.AsNoTracking().OrderBy(t => t.ReceivedAt).ToListAsync());
        var timeline = await HttpAssert.OkJsonAsync(await _api.GetAsync($"/api/quotes/{quote.Id}/timeline"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await GetQuoteAsync(quote.Id)).Status, Is.EqualTo("approved"));
            Assert.That(rows.Select(r => r.Outcome), Is.EqualTo(new[] { TimelineOutcome.Applied, TimelineOutcome.Applied }));
            Assert.That(rows[0].OccurredAt, Is.EqualTo(receivedAt), "ordered by when it arrived");
            Assert.That(rows[0].ReportedOccurredAt, Is.EqualTo(year2100), "the clamp is recorded");
            Assert.That(rows[1].ReportedOccurredAt, Is.Null);
            Assert.That(timeline[0].GetProperty("reportedOccurredAt").GetDateTimeOffset(), Is.EqualTo(year2100));
        }
    }

    [Test]
    public async Task UnknownSpNo_IsAcknowledgedAndRecordedUnmatched()
    {
        var response = await _wecom.PostAsync(WeComMessages.SysApprovalChange("209901010001", 2, 2, Now));
        await _factory.WaitForInboxAsync();

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("success"));
        var row = await _factory.WithDbAsync(db => db.Timeline.SingleAsync());
        Assert.That(row.Outcome, Is.EqualTo(TimelineOutcome.Unmatched));
        Assert.That(row.SpNo, Is.EqualTo("209901010001"));
    }

    [Test]
    public async Task UnknownMessageType_IsStoredAcknowledgedAndIgnored()
    {
        var response = await _wecom.PostAsync(WeComMessages.TextMessage(Now));
        await _factory.WaitForInboxAsync();

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("success"));
        var inbox = await _factory.WithDbAsync(db => db.Inbox.SingleAsync());
        Assert.That(inbox.Status, Is.EqualTo(InboxStatus.Ignored));
        Assert.That(await _factory.WithDbAsync(db => db.Timeline.CountAsync()), Is.Zero);
    }

    [Test]
    public async Task ProcessingFailureInjectedOnce_TheStoredEventIsProcessedOnRetry()
    {
        _api.Dispose();
        _factory.Dispose();
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _factory.ConfigureTestServices = FailNextTimelineSave.Register;
        _api = _factory.CreateClientAs("sales", "admin");
        _wecom = new WeComCallbackClient(_factory);
        FailNextTimelineSave.Arm();
        var quote = await CreateQuoteAsync();

        var response = await _wecom.PostAsync(WeComMessages.OpenApprovalChange(quote.Number, 1, Now));
        await _factory.WaitForInboxAsync();
        var afterFailure = await _factory.WithDbAsync(db => db.Inbox.SingleAsync());
        _factory.Clock.Advance(TimeSpan.FromMinutes(1)); // past the backoff: the worker's timer fires
        await _factory.WaitForInboxAsync();
        var afterRetry = await _factory.WithDbAsync(db => db.Inbox.SingleAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterFailure.Status, Is.EqualTo(InboxStatus.Received));
            Assert.That(afterFailure.LastError, Does.Contain("injected"));
            Assert.That(afterRetry.Status, Is.EqualTo(InboxStatus.Processed));
            Assert.That(afterRetry.Attempts, Is.EqualTo(2));
            Assert.That((await GetQuoteAsync(quote.Id)).Status, Is.EqualTo("pending_approval"));
        }
    }

    [Test]
    public async Task FailedCallback_IsVisibleWithItsReason_AndAnAdminCanRetryIt()
    {
        _api.Dispose();
        _factory.Dispose();
        _factory = WeComCallbackClient.Configure(new CrmApiFactory()).With("WeCom:Callback:MaxProcessingAttempts", "1");
        _factory.ConfigureTestServices = FailNextTimelineSave.Register;
        _api = _factory.CreateClientAs("sales", "admin");
        _wecom = new WeComCallbackClient(_factory);
        using var injected = LogCapture.Instance.ExpectErrors( // the injected fault, with no attempt left: an operator's to retry
            "CrmIntegration.Application.Approvals.ProcessApprovalCallbacks.ProcessApprovalCallbacksCommandHandler",
            "WeCom inbox message {InboxId} failed (attempt {Attempt} of {MaxAttempts})");
        FailNextTimelineSave.Arm();
        var quote = await CreateQuoteAsync();

        await _wecom.PostAsync(WeComMessages.OpenApprovalChange(quote.Number, 1, Now));
        await _factory.WaitForInboxAsync();
        var failed = await HttpAssert.OkJsonAsync(await _api.GetAsync("/api/admin/wecom/inbox?status=failed"));
        var id = failed.GetProperty("items")[0].GetProperty("id").GetGuid();
        var retry = await _api.PostAsync($"/api/admin/wecom/inbox/{id}/retry", null);
        await _factory.WaitForInboxAsync();
        var again = await _api.PostAsync($"/api/admin/wecom/inbox/{id}/retry", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.GetProperty("totalCount").GetInt32(), Is.EqualTo(1));
            Assert.That(failed.GetProperty("items")[0].GetProperty("lastError").GetString(), Does.Contain("injected"));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That((await GetQuoteAsync(quote.Id)).Status, Is.EqualTo("pending_approval"));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "only failed messages are retried");
            Assert.That((await _api.GetAsync($"/api/admin/wecom/inbox/{Guid.NewGuid()}/retry")).StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That((await _api.PostAsync($"/api/admin/wecom/inbox/{Guid.NewGuid()}/retry", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await _api.GetAsync("/api/admin/wecom/inbox?status=bogus")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    [Test]
    public async Task Post_WhenCallbacksAreNotConfigured_Is503()
    {
        using var plain = new CrmApiFactory();
        var response = await plain.CreateClient().PostAsync("/wecom/callback?msg_signature=a&timestamp=1&nonce=2", new StringContent("<xml/>"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    private async Task<(Guid Id, string Number)> CreateQuoteAsync()
    {
        var quote = await HttpAssert.OkJsonAsync(
            await _api.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "ACME", amount = 100m, currency = "CNY" }),
            HttpStatusCode.Created);
        return (quote.GetProperty("id").GetGuid(), quote.GetProperty("number").GetString()!);
    }

    private async Task StartSystemApprovalAsync(Guid quoteId, string spNo) =>
        await _factory.WithDbAsync(async db =>
        {
            var quote = await db.Quotes.Include(q => q.Approvals.Where(a => a.IsOpen)).SingleAsync(q => q.Id == quoteId);
            quote.AdoptForm("tpl-quote", spNo, _factory.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });

    private async Task<(string Status, string? ApprovalStatus)> GetQuoteAsync(Guid id)
    {
        var quote = await HttpAssert.OkJsonAsync(await _api.GetAsync($"/api/quotes/{id}"));
        var approval = quote.GetProperty("approvalStatus");
        return (quote.GetProperty("status").GetString()!, approval.ValueKind == System.Text.Json.JsonValueKind.Null ? null : approval.GetString());
    }

    private async Task<List<(string Outcome, string? Rule)>> TimelineAsync(Guid id)
    {
        var timeline = await HttpAssert.OkJsonAsync(await _api.GetAsync($"/api/quotes/{id}/timeline"));
        return timeline.EnumerateArray()
            .Select(t => (t.GetProperty("outcome").GetString()!, t.GetProperty("rule").ValueKind == System.Text.Json.JsonValueKind.Null ? null : t.GetProperty("rule").GetString()))
            .ToList();
    }

    private async Task<string[]> OutcomesAsync(Guid id) => (await TimelineAsync(id)).Select(t => t.Outcome).ToArray();

    /// <summary>Fails the next save of a timeline row (the middle of applying an event), once per <see cref="Arm"/>.</summary>
    private sealed class FailNextTimelineSave : SaveChangesInterceptor
    {
        private static int _armed;

        public static void Arm() => Interlocked.Exchange(ref _armed, 1);

        public static void Register(IServiceCollection services) =>
            services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(new FailNextTimelineSave()));

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<TimelineEvent>().Any(e => e.State == EntityState.Added) && Interlocked.Exchange(ref _armed, 0) == 1
                ? throw new InvalidOperationException("Failure injected by the test.")
                : ValueTask.FromResult(result);
    }
}
