using System.Diagnostics.Metrics;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Infrastructure.Approvals.WeCom.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Application.UnitTests.Approvals.WeCom;

[TestFixture]
public sealed class WeComApiClientTests
{
    private const string Secret = "s3cr3t-app-secret";

    private FakeWeComServer _server = null!;
    private FakeTimeProvider _clock = null!;
    private WeComApiClient _client = null!;
    private CapturingLogger _log = null!;

    [SetUp]
    public void SetUp()
    {
        _server = new FakeWeComServer();
        _clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        _log = new CapturingLogger();
        _client = new WeComApiClient(new SingleClientFactory(_server), new WeComTokenCache(_clock),
            Options.Create(new WeComOptions { CorpId = "ww1436e0e65a779aee", Secret = Secret }),
            new CrmMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()), _log);
    }

    [TearDown]
    public void TearDown() => _server.Dispose();

    [Test]
    public async Task Token_IsFetchedOnceForManyCalls_EvenConcurrent()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _client.GetApprovalDetailAsync("202611220001", default)));
        await _client.GetApprovalDetailAsync("202611220001", default);

        Assert.That(_server.TokenFetches, Is.EqualTo(1));
        Assert.That(_server.Calls["oa/getapprovaldetail"], Is.EqualTo(21));
    }

    [Test]
    public async Task Token_IsRenewedShortlyBeforeItExpires()
    {
        await _client.GetApprovalDetailAsync("202611220001", default);
        _clock.Advance(TimeSpan.FromSeconds(7200) - WeComTokenCache.RenewEarly - TimeSpan.FromSeconds(1));
        await _client.GetApprovalDetailAsync("202611220001", default);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await _client.GetApprovalDetailAsync("202611220001", default);

        Assert.That(_server.TokenFetches, Is.EqualTo(2));
    }

    [TestCase(42001)]
    [TestCase(40014)]
    [TestCase(40001)]
    public async Task TokenError_DropsTheToken_FetchesOnceMore_AndRetriesOnce(int errCode)
    {
        _server.FailNext("oa/getapprovaldetail", errCode);

        var detail = await _client.GetApprovalDetailAsync("202611220001", default);

        Assert.That(detail.SpStatus, Is.EqualTo(1));
        Assert.That(_server.TokenFetches, Is.EqualTo(2));
        Assert.That(_server.Calls["oa/getapprovaldetail"], Is.EqualTo(2));
    }

    [Test]
    public void TokenError_Twice_SurfacesWithoutLooping()
    {
        _server.FailNext("oa/getapprovaldetail", 42001);
        _server.FailNext("oa/getapprovaldetail", 42001);

        var error = Assert.ThrowsAsync<WeComApiException>(() => _client.GetApprovalDetailAsync("202611220001", default));

        Assert.That(error!.ErrCode, Is.EqualTo(42001));
        Assert.That(_server.Calls["oa/getapprovaldetail"], Is.EqualTo(2));
    }

    [TestCase(45009, true)]
    [TestCase(-1, false)]
    [TestCase(301025, false)]
    public void WeComErrors_AreTyped(int errCode, bool rateLimited)
    {
        _server.FailNext("oa/applyevent", errCode);

        var error = Assert.ThrowsAsync<WeComApiException>(() => _client.ApplyEventAsync(Request(), default));

        Assert.That(error!.ErrCode, Is.EqualTo(errCode));
        Assert.That(error.IsRateLimited, Is.EqualTo(rateLimited));
        Assert.That(error.IsTransient, Is.EqualTo(errCode == -1));
    }

    [Test]
    public void Http500_IsAnUnknownOutcome()
    {
        _server.FailNextWithStatus("oa/applyevent", HttpStatusCode.InternalServerError);
        Assert.ThrowsAsync<WeComApiUnavailableException>(() => _client.ApplyEventAsync(Request(), default));
    }

    [Test]
    public async Task ApplyEvent_SendsTheDocumentedBody_AndNeverNotifyType0()
    {
        var spNo = await _client.ApplyEventAsync(Request() with { NotifyUserIds = [] }, default);
        var withNotify = await _client.ApplyEventAsync(Request() with { NotifyUserIds = ["LiuXiaoGang"], UseTemplateApprover = false, ApproverUserIds = ["WangXiaoMing"] }, default);

        var first = _server.Bodies["oa/applyevent"][0].RootElement;
        var second = _server.Bodies["oa/applyevent"][1].RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spNo, Is.Not.Empty);
            Assert.That(withNotify, Is.Not.EqualTo(spNo));
            Assert.That(first.GetProperty("use_template_approver").GetInt32(), Is.EqualTo(1));
            Assert.That(first.TryGetProperty("notify_type", out _), Is.False);
            Assert.That(first.GetProperty("apply_data").GetProperty("contents")[0].GetProperty("value").GetProperty("text").GetString(), Is.EqualTo("CIS-20261122-0001"));
            Assert.That(first.GetProperty("apply_data").GetProperty("contents")[1].GetProperty("value").GetProperty("new_money").GetString(), Is.EqualTo("100.00"));
            Assert.That(second.GetProperty("notify_type").GetInt32(), Is.EqualTo(1));
            Assert.That(second.GetProperty("approver")[0].GetProperty("userid")[0].GetString(), Is.EqualTo("WangXiaoMing"));
        }
    }

    [Test]
    public async Task Detail_IsReadTolerantly_NumbersAsStringsAndEmptyTimes()
    {
        var detail = await _client.GetApprovalDetailAsync("202611220001", default);

        Assert.That(detail.SpStatus, Is.EqualTo(1));
        Assert.That(detail.ControlValues["Text-quote-no"], Is.EqualTo("CIS-20261122-0001"));
        Assert.That(detail.CreatorUserId, Is.EqualTo("WuJunJie"));
    }

    [Test]
    public async Task ApprovalInfo_SendsSecondsAndFollowsTheCursor()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);
        var first = await _client.GetApprovalInfoAsync(new ApprovalInfoQuery(start, start.AddDays(1), null, "tpl", null), default);
        var second = await _client.GetApprovalInfoAsync(new ApprovalInfoQuery(start, start.AddDays(1), first.NextCursor, "tpl", null), default);

        var body = _server.Bodies["oa/getapprovalinfo"][0].RootElement;
        Assert.That(body.GetProperty("starttime").GetString(), Is.EqualTo("1795000000"));
        Assert.That(body.GetProperty("new_cursor").GetString(), Is.Empty);
        Assert.That(first.SpNos, Is.EqualTo(new[] { "202611220001", "202611220002" }));
        Assert.That(first.NextCursor, Is.EqualTo("page2"));
        Assert.That(second.NextCursor, Is.Null);
    }

    [Test]
    public async Task Logs_NeverContainTheTokenOrSecret()
    {
        _server.FailNext("oa/getapprovaldetail", 42001);
        await _client.GetApprovalDetailAsync("202611220001", default);
        _server.FailNext("oa/getapprovaldetail", 301025);
        Assert.ThrowsAsync<WeComApiException>(() => _client.GetApprovalDetailAsync("202611220001", default));

        Assert.That(_log.Lines, Is.Not.Empty);
        Assert.That(_log.Lines, Has.None.Contains(FakeWeComServer.TokenPrefix).And.None.Contains(Secret));
    }

    private static ApplyEventRequest Request() => new("WangXiaoMing", "tpl", true, [], [],
        [new ApplyControl("Text", "Text-quote-no", "CIS-20261122-0001"), new ApplyControl("Money", "Money-1", "100.00")], ["报价 CIS-20261122-0001"]);

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) =>
            new(handler, disposeHandler: false) { BaseAddress = new Uri("https://qyapi.example/") };
    }

    private sealed class CapturingLogger : ILogger<WeComApiClient>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception) + exception);
    }

    /// <summary>qyapi.weixin.qq.com as docs/wecom.md §5 describes it, with scripted failures.</summary>
    private sealed class FakeWeComServer : HttpMessageHandler
    {
        public const string TokenPrefix = "ACCESS-TOKEN-";

        private readonly ConcurrentDictionary<string, ConcurrentQueue<object>> _failures = new();
        private int _tokens;
        private int _spNo;

        public int TokenFetches => _tokens;

        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public ConcurrentDictionary<string, List<JsonDocument>> Bodies { get; } = new();

        public void FailNext(string api, int errCode) => _failures.GetOrAdd(api, _ => new()).Enqueue(errCode);

        public void FailNextWithStatus(string api, HttpStatusCode status) => _failures.GetOrAdd(api, _ => new()).Enqueue(status);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath.TrimStart('/')["cgi-bin/".Length..];
            if (path == "gettoken")
            {
                var n = Interlocked.Increment(ref _tokens);
                return Json(new { errcode = 0, errmsg = "ok", access_token = $"{TokenPrefix}{n:D32}", expires_in = 7200 });
            }

            Calls.AddOrUpdate(path, 1, (_, c) => c + 1);
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            lock (Bodies)
            {
                Bodies.GetOrAdd(path, _ => []).Add(body);
            }

            if (_failures.TryGetValue(path, out var queue) && queue.TryDequeue(out var failure))
            {
                return failure is HttpStatusCode status
                    ? new HttpResponseMessage(status)
                    : Json(new { errcode = (int)failure, errmsg = "scripted" });
            }

            var token = request.RequestUri.Query;
            if (!token.Contains($"{TokenPrefix}{_tokens:D32}", StringComparison.Ordinal))
            {
                return Json(new { errcode = 42001, errmsg = "access_token expired" });
            }

            return path switch
            {
                "oa/applyevent" => Json(new { errcode = 0, errmsg = "ok", sp_no = $"2026112200{Interlocked.Increment(ref _spNo):D2}" }),
                "oa/getapprovaldetail" => Json(new
                {
                    errcode = 0, errmsg = "ok",
                    info = new
                    {
                        sp_no = "202611220001", sp_status = "1", template_id = "tpl", apply_time = "1795000000",
                        applyer = new { userid = "WuJunJie", partyid = "2" },
                        sp_record = new[] { new { sp_status = 1, approverattr = 1, details = new[] { new { sptime = "" } } } },
                        apply_data = new { contents = new[] { new { control = "Text", id = "Text-quote-no", value = new { text = "CIS-20261122-0001" } } } },
                    },
                }),
                "oa/getapprovalinfo" => body.RootElement.GetProperty("new_cursor").GetString() == ""
                    ? Json(new { errcode = 0, errmsg = "ok", sp_no_list = new[] { "202611220001", "202611220002" }, new_next_cursor = "page2" })
                    : Json(new { errcode = 0, errmsg = "ok", sp_no_list = new[] { "202611220003" } }),
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            };
        }

        private static HttpResponseMessage Json(object value) =>
            new(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json") };
    }
}
