using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Infrastructure.Customers.MiniProgram;
using CrmIntegration.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Platform;

/// <summary>Metrics as Prometheus scrapes them, the operations health summary, and trace ids in answers and logs.</summary>
[TestFixture]
public sealed partial class TelemetryTests
{
    private const string AliceOpenId = "oAlice0000000000000000000001";

    [Test]
    public async Task Scenario_IsCountedInTheScrapedMetrics()
    {
        var weChat = new FakeWeChat();
        await using var trip = await WeComRoundTrip.StartAsync(f =>
        {
            f.With("MiniProgram:AppId", "wx0123456789abcdef").With("MiniProgram:AppSecret", "test-secret")
                .With("MiniProgram:CloudEnv", "test-env-1a2b3c").With("MiniProgram:TemplateId", "TEMPLATE_ID_ASSIGNED")
                .With("MiniProgram:ApiBaseUrl", "https://wechat.test");
            f.ConfigureTestServices = s => s.AddHttpClient(MiniProgramHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => weChat);
        });
        var factory = trip.Factory;
        var settings = new SimulatorSettings();
        var wecom = new WeComCallbackClient(factory, settings.Token, settings.EncodingAesKey, settings.CorpId);
        var customers = new CustomersApi(factory, weChat);
        using var api = factory.CreateClientAs("sales", "admin", "manager");
        using var anonymous = factory.CreateClient();

        // A quote submitted and approved through the simulator (applyevent, gettoken, a stored callback).
        var quote = await HttpAssert.OkJsonAsync(await api.PostJsonAsync("/api/quotes",
            new { title = "Pumps", customerName = "ACME", amount = 10m, currency = "CNY" }), HttpStatusCode.Created);
        var spNo = (await HttpAssert.OkJsonAsync(await api.PostJsonAsync($"/api/quotes/{quote.GetProperty("id").GetGuid()}/submit-approval", new { }),
            HttpStatusCode.Created)).GetProperty("spNo").GetString()!;
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await trip.Simulator.State.ApproveAsync(spNo);
        await factory.WaitForInboxAsync();

        // A foreign form's callback delivered twice, and a forgery.
        var foreign = WeComMessages.SysApprovalChange("209901010001", 2, 2, factory.Clock.GetUtcNow().ToUnixTimeSeconds());
        await wecom.PostAsync(foreign);
        await wecom.PostAsync(foreign);
        var forged = await anonymous.PostAsync("/wecom/callback?msg_signature=0000&timestamp=1&nonce=2",
            new StringContent("<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>"));
        await factory.WaitForInboxAsync();

        // An assignment with its notification, and a sync run.
        var alice = await customers.EmployeeAsync("Alice", "alice", AliceOpenId);
        var customer = await customers.CustomerAsync("张三");
        await HttpAssert.OkJsonAsync(await api.PatchAsync($"/api/customers/{customer}/assign",
            System.Net.Http.Json.JsonContent.Create(new { employeeId = alice })));
        await customers.WaitForNotificationsAsync();
        await HttpAssert.OkJsonAsync(await api.PostAsync("/api/admin/approvals/sync", null));

        var scrape = await anonymous.GetAsync("/metrics");
        var text = await scrape.Content.ReadAsStringAsync();
        var metrics = Parse(text);
        TestContext.Out.WriteLine(string.Join('\n', text.Split('\n').Where(l => l.StartsWith("crm_", StringComparison.Ordinal))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(Value(metrics, "crm_wecom_callbacks_total", ("outcome", "stored")), Is.EqualTo(2), "the approval and the foreign form");
            Assert.That(Value(metrics, "crm_wecom_callbacks_total", ("outcome", "duplicate")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_wecom_callbacks_total", ("outcome", "refused"), ("errcode", "-40001")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_approval_events_total", ("source", "submit"), ("outcome", "applied")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_approval_events_total", ("source", "callback"), ("outcome", "applied")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_approval_events_total", ("source", "callback"), ("outcome", "unmatched")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_wecom_api_calls_total", ("api", "oa/applyevent"), ("result", "ok")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_wecom_api_calls_total", ("api", "oa/getapprovalinfo"), ("result", "ok")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Value(metrics, "crm_wecom_token_fetches_total"), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_approval_sync_runs_total", ("result", "ok")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_approval_sync_last_success_timestamp_seconds"), Is.EqualTo(factory.Clock.GetUtcNow().ToUnixTimeSeconds()));
            Assert.That(Value(metrics, "crm_notifications_total", ("outcome", "sent")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_customer_assignments_total", ("channel", "web")), Is.EqualTo(1));
            Assert.That(Value(metrics, "crm_wecom_inbox_backlog"), Is.Zero);
            Assert.That(Value(metrics, "crm_wecom_inbox_oldest_age_seconds"), Is.Zero);
            Assert.That(Value(metrics, "crm_notifications_backlog"), Is.Zero);
            Assert.That(Value(metrics, "crm_notifications_oldest_age_seconds"), Is.Zero);
            Assert.That(Value(metrics, "crm_notifications_dead"), Is.Zero);
            Assert.That(metrics.Keys.Any(k => k.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal)), Is.True, "ASP.NET Core's instruments");
            Assert.That(metrics.Keys.Any(k => k.StartsWith("process_runtime_dotnet_gc_collections_count", StringComparison.Ordinal)
                                              || k.StartsWith("dotnet_gc_collections", StringComparison.Ordinal)), Is.True, "runtime instruments");
        }
    }

    [Test]
    public async Task Backlog_IsScrapedWithItsAge()
    {
        using var api = new CustomersApi(new CrmApiFactory(), new FakeWeChat()); // no mini-program, no dispatcher: notifications wait
        using var manager = api.Factory.CreateClientAs("manager");
        var alice = await api.EmployeeAsync("Alice", "alice", AliceOpenId);
        await HttpAssert.OkJsonAsync(await manager.PatchAsync($"/api/customers/{await api.CustomerAsync("张三")}/assign",
            System.Net.Http.Json.JsonContent.Create(new { employeeId = alice })));
        api.Factory.Clock.Advance(TimeSpan.FromSeconds(90));

        var metrics = Parse(await api.Factory.CreateClient().GetStringAsync("/metrics"));

        Assert.That(Value(metrics, "crm_notifications_backlog"), Is.EqualTo(1));
        Assert.That(Value(metrics, "crm_notifications_oldest_age_seconds"), Is.EqualTo(90));
    }

    [Test]
    public async Task Metrics_CanBeSwitchedOff_OrPutBehindAPolicy()
    {
        using var off = new CrmApiFactory().With("Telemetry:Prometheus:Enabled", "false");
        using var guarded = new CrmApiFactory().With("Telemetry:Prometheus:Policy", "Admin");

        Assert.That((await off.CreateClient().GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "no endpoint: the fallback policy");
        Assert.That((await guarded.CreateClient().GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await guarded.CreateClientAs("sales").GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await guarded.CreateClientAs("admin").GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task HealthStatus_IsDegradedNamingWhy_WithDetailsForAdminsOnly()
    {
        using var api = CustomersApi.Create(f => f.With("Notifications:MaxAttempts", "1").With("Health:MaxBacklogAge", "00:01:00"));
        api.WeChat.Then(FakeWeChat.Kind.Down);
        using var manager = api.Factory.CreateClientAs("manager");
        var alice = await api.EmployeeAsync("Alice", "alice", AliceOpenId);
        var healthy = await api.Factory.CreateClient().GetAsync("/health/status");
        var healthyBody = await healthy.Content.ReadAsStringAsync();

        await HttpAssert.OkJsonAsync(await manager.PatchAsync($"/api/customers/{await api.CustomerAsync("张三")}/assign",
            System.Net.Http.Json.JsonContent.Create(new { employeeId = alice })));
        await api.WaitForNotificationsAsync(); // one attempt allowed: dead
        var anonymous = JsonDocument.Parse(await api.Factory.CreateClient().GetStringAsync("/health/status")).RootElement;
        var admin = JsonDocument.Parse(await api.Factory.CreateClientAs("admin").GetStringAsync("/health/status")).RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(healthy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(JsonDocument.Parse(healthyBody).RootElement.GetProperty("status").GetString(), Is.EqualTo("Healthy"), healthyBody);
            Assert.That(anonymous.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(anonymous.TryGetProperty("checks", out _), Is.False, "no details without the admin role");
            Assert.That(admin.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            var operations = admin.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "operations");
            Assert.That(operations.GetProperty("description").GetString(), Does.Contain("1 dead notification"));
            Assert.That(operations.GetProperty("data").GetProperty("notificationsDead").GetInt32(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Traces_AreCollectedOnlyWhenExported_AndTraceIdsStayInAnswersEitherWay()
    {
        // Without an exporter nothing reads a span: building and dropping one per request and per EF command cost
        // about 15 % of the CPU per callback applied (performance.md §10). Trace ids in logs and answers do not need it.
        using var plain = new CrmApiFactory();
        using var exported = new CrmApiFactory().With("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
        using var client = plain.CreateClientAs("sales");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/quotes/{Guid.NewGuid()}");
        var traceId = WithNewTraceParent(request);

        var problem = await HttpAssert.ProblemAsync(await client.SendAsync(request), HttpStatusCode.NotFound);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plain.Services.GetService<OpenTelemetry.Trace.TracerProvider>(), Is.Null, "no OTLP endpoint: no tracer");
            Assert.That(exported.Services.GetService<OpenTelemetry.Trace.TracerProvider>(), Is.Not.Null, "an OTLP endpoint: traced and exported");
            Assert.That(problem.GetProperty("traceId").GetString(), Is.EqualTo(traceId), "the caller's trace continues without a tracer");
        }
    }

    [Test]
    public async Task TraceParent_IsTheTraceIdOfTheProblemDetails_AndOfTheLogLines()
    {
        using var factory = new CrmApiFactory();
        using var client = factory.CreateClientAs("sales");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/quotes/{Guid.NewGuid()}");
        var traceId = WithNewTraceParent(request);

        var problem = await HttpAssert.ProblemAsync(await client.SendAsync(request), HttpStatusCode.NotFound);

        Assert.That(problem.GetProperty("traceId").GetString(), Is.EqualTo(traceId));
        await WeComRoundTrip.EventuallyAsync(() => Task.FromResult(LogCapture.Instance.LinesWithTraceId(traceId).Count > 0), "a log line with the trace id", 5);
        Assert.That(LogCapture.Instance.LinesWithTraceId(traceId), Has.Some.Contains("404"), "the request log line carries it");
    }

    [Test]
    public async Task JsonConsoleLogs_AreSwitchedOnByConfiguration_AndCarryTheTraceId()
    {
        using var database = new TempSqliteFile("crm-jsonlog");
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        LogCapture.Instance.RegisterSecret(key);
        await using var service = await ServiceProcess.StartAsync(database.Path, new Dictionary<string, string>
        {
            ["Logging:Console:FormatterName"] = "json",
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Authentication:Schemes:Bearer:ValidIssuer"] = "crm-tests",
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = "crm-tests",
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = "crm-tests",
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = key,
        });
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/quotes");
        var traceId = WithNewTraceParent(request);

        var response = await http.SendAsync(request);
        JsonElement? line = null;
        await WeComRoundTrip.EventuallyAsync(() =>
        {
            line = service.OutputLines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
                .Cast<JsonElement?>().FirstOrDefault(e => e!.Value.TryGetProperty("@tr", out var tr) && tr.GetString() == traceId);
            return Task.FromResult(line is not null);
        }, "a JSON log line with the request's trace id", 10);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(service.OutputLines.Where(l => l.Length > 0), Is.All.StartsWith("{"), "every console line is JSON");
            Assert.That(line!.Value.GetProperty("@mt").GetString(), Does.StartWith("HTTP {RequestMethod} {RequestPath} responded {StatusCode}"));
            Assert.That(line.Value.GetProperty("StatusCode").GetInt32(), Is.EqualTo(401));
        }
    }

    private static Dictionary<string, double> Parse(string exposition)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var cut = line.LastIndexOf(' ');
            if (cut > 0 && double.TryParse(line[(cut + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[line[..cut]] = value;
            }
        }

        return values;
    }

    /// <summary>Adds a fresh W3C <c>traceparent</c> header (sampled) to the request; returns its trace id.</summary>
    private static string WithNewTraceParent(HttpRequestMessage request)
    {
        var traceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01");
        return traceId;
    }

    /// <summary>The sum of every series of <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    private static double Value(Dictionary<string, double> metrics, string name, params (string Key, string Value)[] labels)
    {
        var series = metrics.Where(m => SeriesName(m.Key) == name
                                        && labels.All(l => m.Key.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal))).ToList();
        return series.Count == 0 ? double.NaN : series.Sum(m => m.Value);
    }

    private static string SeriesName(string key) => LabelStart().Split(key)[0];

    [GeneratedRegex(@"\{")]
    private static partial Regex LabelStart();
}
