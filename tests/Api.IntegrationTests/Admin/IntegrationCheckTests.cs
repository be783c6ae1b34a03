using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Simulator;
using CrmIntegration.Simulator.State;

namespace CrmIntegration.Api.IntegrationTests.Admin;

/// <summary>
/// GET /api/admin/integration-check runs the seed system's manual checklist live against the simulator playing
/// WeCom and WeChat: every check's success and its failure codes, with a hint and never a secret.
/// </summary>
[TestFixture]
public sealed partial class IntegrationCheckTests
{
    private const string Route = "/api/admin/integration-check";
    private const string TestNotificationRoute = "/api/admin/integration-check/test-notification";
    private const string PublicCallbackUrl = "https://crm.example.com/wecom/callback";

    [Test]
    public async Task EverythingConfigured_EveryCheckIsOk_AndNoSecretIsInTheAnswer()
    {
        await using var trip = await StartAsync();
        await trip.Simulator.State.SendTestCallbackAsync(); // a valid callback reaches the inbox
        await trip.Factory.WaitForInboxAsync();

        var (report, text) = await RunAsync(trip);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(report), Is.EqualTo(new[]
            {
                "wecom-settings", "wecom-gettoken", "wecom-approval-template", "wecom-callback", "miniprogram-stable-token", "cloud-function-ping",
            }));
            foreach (var check in report.GetProperty("checks").EnumerateArray())
            {
                Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("ok"), check.ToString());
            }

            Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("ok"));
            Assert.That(Check(report, "cloud-function-ping").GetProperty("detail").GetString(), Does.Contain("1.1.0"));
            Assert.That(Check(report, "wecom-callback").GetProperty("detail").GetString(), Does.Contain("2026-11-22"));
            Assert.That(Check(report, "wecom-approval-template").GetProperty("detail").GetString(), Does.Contain(WeComRoundTrip.NumberControl));
            AssertNoSecret(trip.Simulator.Settings, text);
        }
    }

    [Test]
    public async Task NothingConfigured_EveryCheckIsSkipped_WithAHint()
    {
        using var factory = new CrmApiFactory();
        using var admin = factory.CreateClientAs("admin");

        var report = await HttpAssert.OkJsonAsync(await admin.GetAsync(Route));

        foreach (var check in report.GetProperty("checks").EnumerateArray())
        {
            Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("skipped"), check.ToString());
            Assert.That(check.GetProperty("hint").GetString(), Is.Not.Empty, check.ToString());
        }
    }

    [TestCase("sales")]
    [TestCase("manager")]
    public async Task NonAdmins_AreForbidden(string role)
    {
        using var factory = new CrmApiFactory();
        using var client = factory.CreateClientAs(role);

        Assert.That((await client.GetAsync(Route)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await client.PostJsonAsync(TestNotificationRoute, new { employeeId = Guid.NewGuid() })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var anonymous = factory.CreateClient();
        Assert.That((await anonymous.GetAsync(Route)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("wrong secret", 40001, "WeCom:Secret")]
    [TestCase("wrong corp id", 40013, "WeCom:CorpId")]
    [TestCase("malformed secret", 40091, "WeCom:Secret")]
    public async Task GetToken_Refused_FailsWithWeComsCodeAndAHint_AndTheTemplateCheckIsSkipped(string what, int errCode, string key)
    {
        await using var trip = await StartAsync((f, _) =>
        {
            if (errCode == 40001)
            {
                f.With("WeCom:Secret", "not-the-simulator-secret");
            }
            else if (errCode == 40013)
            {
                f.With("WeCom:CorpId", "wwnotthesimulatorcorp");
            }
        });
        if (errCode == 40091)
        {
            trip.Simulator.State.InjectFault("/cgi-bin/gettoken", Fault.Error(40091));
        }

        var (report, text) = await RunAsync(trip);

        var token = Check(report, "wecom-gettoken");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(token.GetProperty("status").GetString(), Is.EqualTo("failed"), what);
            Assert.That(token.GetProperty("errcode").GetInt32(), Is.EqualTo(errCode));
            Assert.That(token.GetProperty("hint").GetString(), Does.Contain(key));
            Assert.That(Check(report, "wecom-approval-template").GetProperty("status").GetString(), Is.EqualTo("skipped"));
            Assert.That(report.GetProperty("status").GetString(), Is.EqualTo("failed"));
            AssertNoSecret(trip.Simulator.Settings, text);
        }
    }

    [Test]
    public async Task Template_UnknownToWeCom_Fails301025_WithAHint()
    {
        await using var trip = await StartAsync();
        trip.Simulator.Settings.TemplateIds.Add("some-other-template");

        var check = Check((await RunAsync(trip)).Report, "wecom-approval-template");

        Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(check.GetProperty("errcode").GetInt32(), Is.EqualTo(301025));
        Assert.That(check.GetProperty("hint").GetString(), Does.Contain("WeCom:Approval:TemplateId"));
    }

    [Test]
    public async Task Template_WithoutTheQuoteNumberControl_FailsNamingIt()
    {
        await using var trip = await StartAsync();
        trip.Simulator.Settings.TemplateControls.Add(new TemplateControlSettings { Id = "Text-1700000000000", Control = "Text", Title = "单号" });
        trip.Simulator.Settings.TemplateControls.Add(new TemplateControlSettings { Id = "Money-amount", Control = "Money", Title = "金额" });

        var check = Check((await RunAsync(trip)).Report, "wecom-approval-template");

        Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(check.GetProperty("errcode").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(check.GetProperty("detail").GetString(), Does.Contain(WeComRoundTrip.NumberControl).And.Contain("Text-1700000000000"));
        Assert.That(check.GetProperty("hint").GetString(), Does.Contain("WeCom:Approval:Controls:QuoteNumber"));
    }

    [Test]
    public async Task AHangingPartnerApi_FailsOnlyItsOwnCheck_WithinThePerCheckTimeout()
    {
        await using var trip = await StartAsync((f, _) => f.With("IntegrationCheck:Timeout", "00:00:02"));
        trip.Simulator.Settings.HangMilliseconds = 10_000;
        await RunAsync(trip); // warm: tokens cached and connections open, so only the hang can use up a check's time
        trip.Simulator.State.InjectFault("/cgi-bin/oa/gettemplatedetail", Fault.Timeout());

        var watch = Stopwatch.StartNew();
        var report = (await RunAsync(trip)).Report;
        watch.Stop();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Check(report, "wecom-approval-template").GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(Check(report, "wecom-approval-template").GetProperty("detail").GetString(), Does.Contain("2 s"));
            Assert.That(Check(report, "cloud-function-ping").GetProperty("status").GetString(), Is.EqualTo("ok"), "the checks after it still ran");
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(9)), "cut at the check's limit, not the 10 s hang");
        }
    }

    [Test]
    public async Task ConcurrentRuns_ShareOneRun_SoWeComIsCalledOnce()
    {
        await using var trip = await StartAsync();
        trip.Simulator.State.InjectFault("/cgi-bin/oa/gettemplatedetail", Fault.Slow(500));
        using var admin = trip.Factory.CreateClientAs("admin");

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => admin.GetAsync(Route)));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        var counters = trip.Simulator.State.Counters();
        Assert.That(counters.CallsTo("/cgi-bin/oa/gettemplatedetail"), Is.EqualTo(1));
        Assert.That(counters.CorpTokenFetches, Is.EqualTo(1));
    }

    [TestCase(null, "failed", "WeCom:CallbackUrl")]
    [TestCase("http://crm.example.com/wecom/callback", "failed", "https")]
    [TestCase("http://localhost:5080/wecom/callback", "warning", "save")]
    [TestCase(PublicCallbackUrl, "warning", "save")]
    public async Task Callback_UrlAndLastCallback(string? url, string status, string hint)
    {
        await using var trip = await StartAsync((f, _) => f.With("WeCom:CallbackUrl", url));

        var check = Check((await RunAsync(trip)).Report, "wecom-callback");

        Assert.That(check.GetProperty("status").GetString(), Is.EqualTo(status));
        Assert.That(check.GetProperty("hint").GetString(), Does.Contain(hint));
        if (status == "warning")
        {
            Assert.That(check.GetProperty("detail").GetString(), Does.Contain("none yet"));
        }
    }

    [TestCase("MiniProgram:AppSecret", "not-the-simulator-app-secret", 40125)]
    [TestCase("MiniProgram:AppId", "wxffffffffffffffff", 40013)]
    public async Task StableToken_Refused_FailsWithWeChatsCode_AndThePingIsSkipped(string key, string value, int errCode)
    {
        await using var trip = await StartAsync((f, _) => f.With(key, value));

        var (report, text) = await RunAsync(trip);

        var token = Check(report, "miniprogram-stable-token");
        Assert.That(token.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(token.GetProperty("errcode").GetInt32(), Is.EqualTo(errCode));
        Assert.That(token.GetProperty("hint").GetString(), Does.Contain(key));
        Assert.That(Check(report, "cloud-function-ping").GetProperty("status").GetString(), Is.EqualTo("skipped"));
        AssertNoSecret(trip.Simulator.Settings, text);
    }

    [Test]
    public async Task CloudFunction_InAnotherEnvironment_FailsWithWeChatsCode()
    {
        await using var trip = await StartAsync();
        trip.Simulator.Settings.MiniProgram.CloudEnv = "some-other-env";

        var check = Check((await RunAsync(trip)).Report, "cloud-function-ping");

        Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(check.GetProperty("errcode").GetInt32(), Is.EqualTo(-501000));
        Assert.That(check.GetProperty("hint").GetString(), Does.Contain("MiniProgram:CloudEnv"));
    }

    [Test]
    public async Task CloudFunction_ThatFailed_FailsWithWeChatsCode()
    {
        await using var trip = await StartAsync();
        trip.Simulator.State.InjectFault("/tcb/invokecloudfunction", Fault.Error(-504002));

        var check = Check((await RunAsync(trip)).Report, "cloud-function-ping");

        Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(check.GetProperty("errcode").GetInt32(), Is.EqualTo(-504002));
        Assert.That(check.GetProperty("hint").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task CloudFunction_OlderThanPing_FailsWithAHintToDeployIt()
    {
        await using var trip = await StartAsync();
        trip.Simulator.Settings.MiniProgram.CloudFunctionVersion = "";

        var check = Check((await RunAsync(trip)).Report, "cloud-function-ping");

        Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(check.GetProperty("hint").GetString(), Does.Contain("samples/cloudfunctions/quickstartFunctions"));
    }

    [Test]
    public async Task TestNotification_ToASubscribedEmployee_IsSentWithItsMsgId_WithoutTouchingTheOutbox()
    {
        await using var trip = await StartAsync();
        var employee = await EmployeeAsync(trip, "oAlice000000000000000000001");
        using var admin = trip.Factory.CreateClientAs("admin");

        var result = await HttpAssert.OkJsonAsync(await admin.PostJsonAsync(TestNotificationRoute, new { employeeId = employee }));

        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("ok"), result.ToString());
        var message = trip.Simulator.State.DeliveredMessages.Single();
        Assert.That(message.OpenId, Is.EqualTo("oAlice000000000000000000001"));
        Assert.That(result.GetProperty("msgid").GetString(), Is.EqualTo(message.MsgId));
        Assert.That(await trip.Factory.WithDbAsync(db => Task.FromResult(db.Notifications.Count())), Is.Zero);
    }

    [Test]
    public async Task WeComWithoutATemplate_SettingsWarn_AndTheTemplateCheckIsSkipped()
    {
        await using var trip = await StartAsync((f, _) => f.With("WeCom:Approval:TemplateId", null).With("WeCom:Approval:Controls:QuoteNumber", null));

        var report = (await RunAsync(trip)).Report;

        Assert.That(Check(report, "wecom-settings").GetProperty("status").GetString(), Is.EqualTo("warning"));
        Assert.That(Check(report, "wecom-settings").GetProperty("hint").GetString(), Does.Contain("WeCom:Approval:TemplateId"));
        Assert.That(Check(report, "wecom-gettoken").GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(Check(report, "wecom-approval-template").GetProperty("status").GetString(), Is.EqualTo("skipped"));
    }

    [Test]
    public async Task DirectChannel_SkipsThePing_AndSendsTheTestNotificationThroughSubscribeSend()
    {
        await using var trip = await StartAsync((f, _) => f.With("Notifications:Channel", "SubscribeMessage"));
        var employee = await EmployeeAsync(trip, "oAlice000000000000000000001");
        using var admin = trip.Factory.CreateClientAs("admin");

        var report = (await RunAsync(trip)).Report;
        var result = await HttpAssert.OkJsonAsync(await admin.PostJsonAsync(TestNotificationRoute, new { employeeId = employee }));

        Assert.That(Check(report, "cloud-function-ping").GetProperty("status").GetString(), Is.EqualTo("skipped"));
        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("ok"), result.ToString());
        var message = trip.Simulator.State.DeliveredMessages.Single();
        Assert.That(message.Channel, Is.EqualTo("subscribe_send"));
        Assert.That(result.GetProperty("msgid").GetString(), Is.EqualTo(message.MsgId));
    }

    [Test]
    public async Task TestNotification_WithoutSubscriptionCredit_Fails43101_WithAHint()
    {
        await using var trip = await StartAsync();
        var employee = await EmployeeAsync(trip, "oAlice000000000000000000001");
        trip.Simulator.State.ScriptOpenId("oAlice000000000000000000001", 43101);
        using var admin = trip.Factory.CreateClientAs("admin");

        var result = await HttpAssert.OkJsonAsync(await admin.PostJsonAsync(TestNotificationRoute, new { employeeId = employee }));

        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(result.GetProperty("errcode").GetInt32(), Is.EqualTo(43101));
        Assert.That(result.GetProperty("hint").GetString(), Does.Contain("subscription"));
        Assert.That(trip.Simulator.State.DeliveredMessages, Is.Empty);
    }

    [Test]
    public async Task TestNotification_ToAnEmployeeWithoutOpenId_Fails_WithAHint()
    {
        await using var trip = await StartAsync();
        var employee = await EmployeeAsync(trip, null);
        using var admin = trip.Factory.CreateClientAs("admin");

        var result = await HttpAssert.OkJsonAsync(await admin.PostJsonAsync(TestNotificationRoute, new { employeeId = employee }));

        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(result.GetProperty("hint").GetString(), Does.Contain("openid"));
    }

    [Test]
    public async Task TestNotification_UnknownOrMissingEmployee_Is404Or400_AndNotConfiguredIsSkipped()
    {
        using var factory = new CrmApiFactory();
        using var admin = factory.CreateClientAs("admin");

        await HttpAssert.ProblemAsync(await admin.PostJsonAsync(TestNotificationRoute, new { employeeId = Guid.NewGuid() }), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await admin.PostJsonAsync(TestNotificationRoute, new { }), HttpStatusCode.BadRequest);
        var employee = await HttpAssert.OkJsonAsync(
            await factory.CreateClientAs("manager").PostJsonAsync("/api/employees", new { name = "Alice", weComUserId = "alice", miniProgramOpenId = "oAlice000000000000000000001" }),
            HttpStatusCode.Created);
        var result = await HttpAssert.OkJsonAsync(await admin.PostJsonAsync(TestNotificationRoute, new { employeeId = employee.GetProperty("id").GetGuid() }));
        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("skipped"));
    }

    private static Task<WeComRoundTrip> StartAsync(Action<CrmApiFactory, SimulatorHost>? configure = null) =>
        WeComRoundTrip.StartAsync((factory, simulator) =>
        {
            Customers.NotificationRoundTripTests.ConfigureFor(simulator, factory).With("WeCom:CallbackUrl", PublicCallbackUrl);
            configure?.Invoke(factory, simulator);
        });

    private static async Task<(JsonElement Report, string Text)> RunAsync(WeComRoundTrip trip)
    {
        using var admin = trip.Factory.CreateClientAs("admin");
        var response = await admin.GetAsync(Route);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return (JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    private static async Task<Guid> EmployeeAsync(WeComRoundTrip trip, string? openId)
    {
        using var manager = trip.Factory.CreateClientAs("manager");
        var created = await manager.PostJsonAsync("/api/employees", new { name = "Alice", weComUserId = "alice", miniProgramOpenId = openId });
        return (await HttpAssert.OkJsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static string[] Names(JsonElement report) =>
        [.. report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static void AssertNoSecret(SimulatorSettings settings, string text)
    {
        foreach (var secret in new[] { settings.CorpSecret, settings.Token, settings.EncodingAesKey, settings.MiniProgram.AppSecret, "not-the-simulator" })
        {
            Assert.That(text, Does.Not.Contain(secret));
        }

        Assert.That(AccessTokenShape().IsMatch(text), Is.False, "an access token in the answer");
    }

    [GeneratedRegex("[0-9a-f]{128}")]
    private static partial Regex AccessTokenShape();
}
