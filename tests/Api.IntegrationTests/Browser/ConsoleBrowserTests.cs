using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CrmIntegration.Api.IntegrationTests.Customers;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CrmIntegration.Api.IntegrationTests.Browser;

/// <summary>
/// The operations console (/console/, ADR-20) in Chromium against the real service on a real port, with the simulator
/// (tests/Simulator) playing WeCom and WeChat over HTTP: sign-in with a pasted token, role-aware navigation, live quote
/// status, and the operator's actions going through the API. One service, one simulator and one browser for the
/// fixture; each test has its own browser context (its own sessionStorage) and leaves a screenshot.
/// </summary>
[TestFixture]
[Category("Browser")]
[ScreenshotEveryTest]
[NonParallelizable]
public sealed partial class ConsoleBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string AliceOpenId = "oAlice-console-0000000000000";
    private const int Timeout = 10_000;
    private const int MaxAttempts = 2; // Notifications:MaxAttempts: a notification is dead after its second transient failure

    private SimulatorHost? _simulator;
    private CustomersApi _api = null!;
    private string _origin = "";
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private List<string> _consoleErrors = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore($"No Chromium at {Chromium} (apt-get install -y chromium; .ci/run installs it): browser tests skipped.");
        }

        // The simulator plays qyapi.weixin.qq.com and api.weixin.qq.com; its callbacks go to the service's real port.
        var factory = new CrmApiFactory();
        _simulator = await SimulatorHost.StartAsync(new SimulatorSettings { CallbackRetryDelayMilliseconds = 50 }, clock: factory.Clock);
        WeComRoundTrip.ConfigureFor(_simulator, NotificationRoundTripTests.ConfigureFor(_simulator, factory))
            .With("WeCom:Simulation:Enabled", "true")
            .With("Notifications:MaxAttempts", MaxAttempts.ToString(CultureInfo.InvariantCulture))
            // The approval sync runs when a test asks for it (POST /api/admin/approvals/sync), never on its own: a
            // background run in flight while a test moves the fake clock minutes on would see its HTTP timeout, which
            // runs on the same clock, fire at once.
            .With("WeCom:Sync:Interval", "1.00:00:00");
        _api = new CustomersApi(factory, new FakeWeChat());
        _api.Factory.UseKestrel(0);
        _api.Factory.StartServer();
        _origin = _api.Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        _simulator.State.CallbackUrl = new Uri(_origin + "/wecom/callback");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _api?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    [SetUp]
    public async Task OpenPageAsync()
    {
        _context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(Timeout);
        _consoleErrors = [];
        _page.Console += (_, m) =>
        {
            // An API refusal the console shows (a 4xx ProblemDetails: 404, 409, a validation 400) is not a script error.
            if (m.Type == "error" && !ApiRefusal().IsMatch(m.Text))
            {
                _consoleErrors.Add(m.Text);
            }
        };
        _page.PageError += (_, e) => _consoleErrors.Add(e);
    }

    [TearDown]
    public async Task ClosePageAsync()
    {
        try
        {
            await BrowserScreenshots.SaveAsync(_page);
        }
        finally
        {
            await _context.DisposeAsync();
        }
    }

    [Test]
    public async Task SignIn_WithAPastedAdminToken_ShowsTheSubjectAndRoles_AndEveryView()
    {
        await SignInAsync("admin");

        var who = await _page.Locator("#who").InnerTextAsync();
        var views = await NavigationAsync();
        var stored = await _page.EvaluateAsync<string?>("() => sessionStorage.getItem('crm.console.token')");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(who, Does.Contain("tester").And.Contain("admin"));
            Assert.That(views, Is.SupersetOf(new[] { "overview", "quotes", "approvals", "customers", "employees", "notifications", "inbox", "checks" }));
            Assert.That(stored, Is.Not.Empty, "the token stays in sessionStorage");
            Assert.That(_page.Url, Does.Not.Contain("eyJ"), "never in the URL");
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    [TestCase("Development", true)]
    [TestCase("Testing", false)]
    public async Task SignInPage_InDevelopmentOnly_ShowsTheUserJwtsCommand(string environment, bool shown)
    {
        if (environment != "Testing")
        {
            // The fixture's service runs as Testing; the page learns the environment from /console/config.json.
            await _page.RouteAsync("**/console/config.json", route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200,
                ContentType = "application/json",
                Body = $$"""{"environment":"{{environment}}"}""",
            }));
        }

        await _page.GotoAsync(_origin + "/console/");
        await Assertions.Expect(_page.Locator("#signin")).ToBeVisibleAsync();

        var hint = _page.Locator("#dev-hint");
        if (shown)
        {
            await Assertions.Expect(hint).ToBeVisibleAsync();
            Assert.That(await hint.Locator("pre").InnerTextAsync(), Is.EqualTo("dotnet user-jwts create --project src/Api --role admin"));
        }
        else
        {
            await _page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Assertions.Expect(hint).ToBeHiddenAsync();
        }
    }

    [Test]
    public async Task SignIn_WithSomethingThatIsNotAJwt_SaysSo_AndKeepsNothing()
    {
        await _page.GotoAsync(_origin + "/console/");

        await _page.Locator("#token").FillAsync("not-a-token");
        await _page.Locator("#signin-button").ClickAsync();

        await Assertions.Expect(_page.Locator("#signin-error .problem")).ToContainTextAsync("not a JWT");
        Assert.That(await _page.EvaluateAsync<string?>("() => sessionStorage.getItem('crm.console.token')"), Is.Null);
    }

    [Test]
    public async Task SignIn_WithASalesToken_ShowsOnlyQuotesAndApprovals()
    {
        await SignInAsync("sales");

        var views = await NavigationAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(views, Is.EquivalentTo(new[] { "quotes", "approvals" }));
            Assert.That(await _page.Locator("#view h2").InnerTextAsync(), Does.Contain("Quotes"), "sales lands on quotes");
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    [Test]
    public async Task Quotes_WhenAnApprovalArrives_TheRowChangesLiveWithoutAReload()
    {
        using var admin = Client("admin");
        var quote = await HttpAssert.OkJsonAsync(await admin.PostJsonAsync("/api/quotes",
            new { title = "Pumps", customerName = "ACME", amount = 10m, currency = "CNY" }), HttpStatusCode.Created);
        var number = quote.GetProperty("number").GetString()!;
        await SignInAsync("admin");
        await _page.EvaluateAsync("() => { window.notReloaded = true; }");
        await GoAsync("quotes");
        var status = _page.Locator($"#quotes tr[data-number='{number}'] [data-field=status]");
        await Assertions.Expect(status).ToHaveTextAsync("draft");
        await Assertions.Expect(_page.Locator("#live")).ToHaveAttributeAsync("data-state", "open");

        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await HttpAssert.OkJsonAsync(await admin.PostJsonAsync("/api/v1/wecom-callback/simulate-approval", new { quote_number = number, action = "approved" }));

        await Assertions.Expect(status).ToHaveTextAsync("approved");
        await _page.Locator($"#quotes tr[data-number='{number}'] button[data-action=timeline]").ClickAsync();
        var timeline = _page.Locator("#timeline");
        await Assertions.Expect(timeline).ToContainTextAsync("simulate");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _page.EvaluateAsync<bool>("() => window.notReloaded === true"), Is.True, "no reload");
            Assert.That(await timeline.InnerTextAsync(), Does.Contain("applied"));
            Assert.That(_consoleErrors, Is.Empty);
        }

    }

    /// <summary>
    /// The scenario end to end: a quote submitted to WeCom (the simulator) is open in the console; the approver
    /// approves the form in WeCom, WeCom's encrypted callback reaches /wecom/callback over HTTP, and the row turns
    /// approved within 2 s of the approval, without a reload; its timeline shows the callback.
    /// </summary>
    [Test]
    public async Task Quotes_WhenTheWeComSimulatorApprovesTheForm_ThePageShowsApprovedWithin2s_WithoutAReload()
    {
        using var sales = Client("sales");
        var quote = await CreateQuoteAsync(sales, "Compressors", "Soylent", 23450m);
        await SignInAsync("sales");
        await _page.EvaluateAsync("() => { window.notReloaded = true; }");
        await GoAsync("quotes");
        var status = _page.Locator($"#quotes tr[data-id='{quote.Id}'] [data-field=status]");
        await Assertions.Expect(status).ToHaveTextAsync("draft");
        await Assertions.Expect(_page.Locator("#live")).ToHaveAttributeAsync("data-state", "open");
        var spNo = await SubmitAsync(sales, quote.Id);
        await Assertions.Expect(status).ToHaveTextAsync("pending_approval");
        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(1)); // the timeline orders events by time received

        var watch = Stopwatch.StartNew();
        var change = await _simulator!.State.ApproveAsync(spNo, speech: "同意");
        await Assertions.Expect(status).ToHaveTextAsync("approved", new() { Timeout = 2_000 });
        var elapsed = watch.Elapsed;
        TestContext.Out.WriteLine($"simulator approves → page shows approved: {elapsed.TotalMilliseconds:F0} ms");

        await _page.Locator($"#quotes tr[data-id='{quote.Id}'] button[data-action=timeline]").ClickAsync();
        var timeline = _page.Locator("#timeline");
        await Assertions.Expect(timeline).ToContainTextAsync("callback");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(change.Deliveries.Select(d => d.ResponseBody), Is.EqualTo(new[] { "success" }), "WeCom's callback was answered");
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
            Assert.That(await _page.EvaluateAsync<bool>("() => window.notReloaded === true"), Is.True, "no reload");
            Assert.That(await timeline.InnerTextAsync(), Does.Contain(spNo).And.Contain("applied"));
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    [Test]
    public async Task Notifications_RetryingAFailedOne_FromTheConsole_ShowsItSent()
    {
        const string openId = "oRetry-console-000000000000";
        var employee = await _api.EmployeeAsync("Retry Rita", "rita", openId);
        var customer = await _api.CustomerAsync("王五");
        _simulator!.State.ScriptOpenId(openId, 40003, count: 1); // invalid openid: failed at once, not retried
        using var manager = Client("manager");
        var id = (await HttpAssert.OkJsonAsync(await manager.PatchAsync($"/api/customers/{customer}/assign", Json(new { employeeId = employee }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();
        Assert.That((await _api.NotificationAsync(id)).Status, Is.EqualTo(NotificationStatus.Failed), "precondition");
        await SignInAsync("admin");
        await GoAsync("notifications");
        var row = _page.Locator($"#notifications tr[data-id='{id}']");
        await Assertions.Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("failed");

        await row.Locator("button[data-action=retry]").ClickAsync();

        await Assertions.Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("sent");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await _api.NotificationAsync(id)).Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    /// <summary>
    /// A dead letter made by the real flow: WeChat (the simulator) answers "system busy" (-1, retried) to every send
    /// until Notifications:MaxAttempts is spent, and the notification is dead. An admin retries it from the console;
    /// WeChat has recovered, and the row turns sent.
    /// </summary>
    [Test]
    public async Task Notifications_RetryingADeadOne_FromTheConsole_ShowsItSent()
    {
        const string openId = "oDead-console-0000000000000";
        var employee = await _api.EmployeeAsync("Dead Dora", "dora-dead", openId);
        var customer = await _api.CustomerAsync("钱九");
        _simulator!.State.ScriptOpenId(openId, -1, count: MaxAttempts);
        using var manager = Client("manager");
        var id = (await HttpAssert.OkJsonAsync(await manager.PatchAsync($"/api/customers/{customer}/assign", Json(new { employeeId = employee }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();
        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(3)); // past the backoff (2 s ± 20 %) before the last attempt
        await _api.WaitForNotificationsAsync();
        var dead = await _api.NotificationAsync(id);
        Assert.That((dead.Status, dead.Attempts), Is.EqualTo((NotificationStatus.Dead, MaxAttempts)), "precondition: dead after MaxAttempts");
        await SignInAsync("admin");
        await GoAsync("notifications");
        await _page.Locator("#view select[name=status]").SelectOptionAsync("dead");
        await _page.Locator("#view .filters button[type=submit]").ClickAsync();
        var row = _page.Locator($"#notifications tr[data-id='{id}']");
        await Assertions.Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("dead");
        await Assertions.Expect(row).ToContainTextAsync("-1");

        await row.Locator("button[data-action=retry]").ClickAsync();
        await _page.Locator("#view select[name=status]").SelectOptionAsync("");
        await _page.Locator("#view .filters button[type=submit]").ClickAsync();

        await Assertions.Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("sent");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await _api.NotificationAsync(id)).Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(_simulator.State.DeliveredMessages.Count(m => m.OpenId == openId), Is.EqualTo(1), "delivered once, after the retry");
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    [Test]
    public async Task Customers_AssigningOneFromTheConsole_ShowsTheNewOwner()
    {
        var bob = await _api.EmployeeAsync("Bob Console", "bob-console", AliceOpenId);
        var customer = await _api.CustomerAsync("赵六");
        await SignInAsync("manager");
        await GoAsync("customers");
        var row = _page.Locator($"#customers tr[data-id='{customer}']");

        await row.Locator("select[data-field=employee]").SelectOptionAsync(bob.ToString());
        await row.Locator("button[data-action=assign]").ClickAsync();

        await Assertions.Expect(row.Locator("[data-field=owner]")).ToHaveTextAsync("Bob Console");
        var stored = await _api.Factory.WithDbAsync(db => Task.FromResult(db.Customers.Single(c => c.Id == customer).OwnerEmployeeId));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.EqualTo(bob));
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    [Test]
    public async Task Customers_CreatingOneFromTheConsole_ListsIt_InThePublicPool()
    {
        await SignInAsync("manager");
        await GoAsync("customers");
        var form = _page.Locator("#new-customer");

        await form.Locator("[name=name]").FillAsync("吴十");
        await form.Locator("[name=company]").FillAsync("吴氏贸易有限公司");
        await form.Locator("[name=phone]").FillAsync("+86 10 5555 0101");
        await form.Locator("[name=inPublicPool]").CheckAsync();
        await form.Locator("button[type=submit]").ClickAsync();

        var row = _page.Locator("#customers tr", new() { HasText = "吴氏贸易有限公司" });
        await Assertions.Expect(row.Locator("[data-field=owner]")).ToHaveTextAsync("public pool");
        var stored = await _api.Factory.WithDbAsync(db => db.Customers.AsNoTracking().SingleAsync(c => c.Company == "吴氏贸易有限公司"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((stored.Name, stored.Phone, stored.InPublicPool), Is.EqualTo(("吴十", "+86 10 5555 0101", true)));
            Assert.That(await row.GetAttributeAsync("data-id"), Is.EqualTo(stored.Id.ToString()));
            Assert.That(await form.Locator("[name=name]").InputValueAsync(), Is.Empty, "the form is cleared for the next one");
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    [Test]
    public async Task Employees_CreatingOneFromTheConsole_ListsIt_AndATakenUserIdShowsTheConflict()
    {
        await SignInAsync("manager");
        await GoAsync("employees");
        var form = _page.Locator("#new-employee");

        await form.Locator("[name=name]").FillAsync("Console Carl");
        await form.Locator("[name=weComUserId]").FillAsync("carl-console");
        await form.Locator("[name=miniProgramOpenId]").FillAsync("oCarl-console-000000000000");
        await form.Locator("button[type=submit]").ClickAsync();
        var row = _page.Locator("#employees tr", new() { HasText = "carl-console" });
        await Assertions.Expect(row.Locator("[data-field=openid]")).ToHaveValueAsync("oCarl-console-000000000000");

        await form.Locator("[name=name]").FillAsync("Another Carl");
        await form.Locator("[name=weComUserId]").FillAsync("carl-console");
        await form.Locator("button[type=submit]").ClickAsync();

        await Assertions.Expect(form.Locator(".problem")).ToContainTextAsync("409");
        var stored = await _api.Factory.WithDbAsync(db => db.Employees.AsNoTracking().Where(e => e.WeComUserId == "carl-console").ToListAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored.Select(e => (e.Name, e.MiniProgramOpenId)), Is.EqualTo(new[] { ("Console Carl", (string?)"oCarl-console-000000000000") }));
            Assert.That(await _page.Locator("#employees tr", new() { HasText = "Another Carl" }).CountAsync(), Is.Zero);
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    /// <summary>
    /// The checklist's last step from the console: a test notification to a chosen employee goes to WeChat (the
    /// simulator) at once and the answer is shown: the msgid, or WeChat's errcode and what to do about it.
    /// </summary>
    [Test]
    public async Task IntegrationChecks_SendingATestNotification_ShowsWeChatsAnswer()
    {
        const string subscribed = "oTest-console-subscribed-0000";
        const string unsubscribed = "oTest-console-nocredit-00000";
        await _api.EmployeeAsync("Test Tina", "tina-test", subscribed);
        await _api.EmployeeAsync("Test Tom", "tom-test", unsubscribed);
        _simulator!.State.ScriptOpenId(unsubscribed, 43101);
        await SignInAsync("admin");
        await GoAsync("checks");
        var card = _page.Locator("#test-notification");
        var result = card.Locator("#test-notification-result");

        await card.Locator("select[name=employeeId]").SelectOptionAsync(new SelectOptionValue { Label = "Test Tina" });
        await card.Locator("button[data-action=test-notification]").ClickAsync();
        await Assertions.Expect(result.Locator("[data-field=status]")).ToHaveTextAsync("ok");
        var sent = await result.InnerTextAsync();
        await BrowserScreenshots.SaveAsync(_page, "sent");

        await card.Locator("select[name=employeeId]").SelectOptionAsync(new SelectOptionValue { Label = "Test Tom" });
        await card.Locator("button[data-action=test-notification]").ClickAsync();
        await Assertions.Expect(result.Locator("[data-field=status]")).ToHaveTextAsync("failed");

        var delivered = _simulator.State.DeliveredMessages.Where(m => m.OpenId == subscribed).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivered, Has.Count.EqualTo(1), "one message reached WeChat");
            Assert.That(sent, Does.Contain(delivered.Single().MsgId), "WeChat's msgid is shown");
            Assert.That(await result.InnerTextAsync(), Does.Contain("43101").And.Contain("subscri"), "the errcode and the hint");
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    [Test]
    public async Task AProblem_FromTheApi_IsShownWithItsTitleAndErrors()
    {
        await SignInAsync("sales");
        await GoAsync("quotes");

        await _page.Locator("#new-quote [name=title]").FillAsync("");
        await _page.Locator("#new-quote [name=amount]").FillAsync("-1");
        await _page.Locator("#new-quote button[type=submit]").ClickAsync();

        var problem = _page.Locator(".problem");
        await Assertions.Expect(problem).ToBeVisibleAsync();
        Assert.That(await problem.InnerTextAsync(), Does.Contain("title").And.Contain("amount"));
    }

    /// <summary>
    /// The overview against the service's own GET /api/admin/overview, every figure made through the API and the
    /// simulator over half an hour (fake clock): quotes submitted to WeCom and decided there (their callbacks spread over
    /// the chart), notifications sent, refused and dead, and an approval sync. The page shows what the API answers; its
    /// screenshot (console-overview-live.png) is the one README shows as docs/console-overview.png.
    /// </summary>
    [Test]
    public async Task Overview_FromTheRealApi_ShowsItsCountsBacklogsLastSyncAndChart()
    {
        using var sales = Client("sales");
        var quotes = new List<(Guid Id, string Number)>();
        foreach (var (title, customer, amount) in new[] { ("Pumps", "ACME", 12800m), ("Valves", "Globex", 45990m), ("Pipes", "Initech", 3200m), ("Filters", "Umbrella", 780m), ("Seals", "Hooli", 95m) })
        {
            quotes.Add(await CreateQuoteAsync(sales, title, customer, amount));
        }

        var spNos = new List<string>();
        foreach (var quote in quotes.Take(4))
        {
            spNos.Add(await SubmitAsync(sales, quote.Id));
        }

        // Decided in WeCom minutes apart: approve, approve, reject; the fourth stays pending, the fifth a draft.
        foreach (var (spNo, quote, approve, minutesLater) in new[] { (spNos[0], quotes[0], true, 4), (spNos[1], quotes[1], true, 9), (spNos[2], quotes[2], false, 7) })
        {
            _api.Factory.Clock.Advance(TimeSpan.FromMinutes(minutesLater));
            _ = approve ? await _simulator!.State.ApproveAsync(spNo) : await _simulator!.State.RejectAsync(spNo);
            await WaitForStatusAsync(sales, quote.Id, approve ? "approved" : "rejected");
        }

        using var manager = Client("manager");
        var olga = await _api.EmployeeAsync("Overview Olga", "olga-overview", "oOlga-overview-00000000000");
        var ned = await _api.EmployeeAsync("Overview Ned", "ned-overview", "oNed-overview-000000000000");
        _simulator!.State.ScriptOpenId("oNed-overview-000000000000", -1, count: MaxAttempts); // busy every time: dead
        foreach (var (name, employee) in new[] { ("孙七", olga), ("周八", olga), ("郑九", ned) })
        {
            await HttpAssert.OkJsonAsync(await manager.PatchAsync($"/api/customers/{await _api.CustomerAsync(name)}/assign", Json(new { employeeId = employee })));
        }

        await _api.WaitForNotificationsAsync();
        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(3)); // past the retry's backoff
        await _api.WaitForNotificationsAsync();
        using var admin = Client("admin");
        var sync = await HttpAssert.OkJsonAsync(await admin.PostAsync("/api/admin/approvals/sync", null));
        await _api.Factory.WaitForInboxAsync();

        await SignInAsync("admin");
        await GoAsync("overview");
        var view = _page.Locator("#view");
        await Assertions.Expect(view.Locator("svg.chart polyline")).ToHaveCountAsync(2);
        await Assertions.Expect(view.Locator(".health")).ToBeVisibleAsync();
        var expected = await HttpAssert.OkJsonAsync(await admin.GetAsync("/api/admin/overview"));
        var shown = new Dictionary<string, string>();
        foreach (var key in await view.Locator("[data-metric]").EvaluateAllAsync<string[]>("all => all.map(m => m.dataset.metric)"))
        {
            shown[key] = await view.Locator($"[data-metric='{key}']").InnerTextAsync();
        }

        var callbacksInTheHour = expected.GetProperty("perMinute").EnumerateArray().Sum(m => m.GetProperty("callbacks").GetInt32());
        var minutesWithCallbacks = expected.GetProperty("perMinute").EnumerateArray().Count(m => m.GetProperty("callbacks").GetInt32() > 0);
        var legend = await view.Locator(".legend .key.callbacks").InnerTextAsync();
        var lastSync = await view.Locator("[data-field=lastSync]").InnerTextAsync();
        await BrowserScreenshots.SaveAsync(_page, "console-overview-live");
        using (Assert.EnterMultipleScope())
        {
            foreach (var (section, key) in new[]
            {
                ("quotes", "draft"), ("quotes", "pending_approval"), ("quotes", "approved"), ("quotes", "rejected"), ("quotes", "cancelled"),
                ("inbox", "received"), ("inbox", "processed"), ("inbox", "failed"),
                ("notifications", "pending"), ("notifications", "sent"), ("notifications", "dead"), ("notifications", "failed"),
            })
            {
                Assert.That(shown[$"{section}.{key}"], Is.EqualTo(Count(expected, section, key)), $"{section}.{key} as the API says");
            }

            Assert.That(int.Parse(shown["quotes.approved"], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
            Assert.That(int.Parse(shown["quotes.rejected"], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
            Assert.That(int.Parse(shown["quotes.pending_approval"], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
            Assert.That(int.Parse(shown["inbox.processed"], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(3), "the three decisions' callbacks");
            Assert.That(int.Parse(shown["notifications.sent"], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
            Assert.That(int.Parse(shown["notifications.dead"], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
            Assert.That(sync.GetProperty("failed").GetInt32(), Is.Zero, "precondition: the sync run went through");
            Assert.That(lastSync, Is.EqualTo(expected.GetProperty("lastSync").GetProperty("result").GetString()).And.EqualTo("ok"));
            Assert.That(legend, Does.Contain($"({callbacksInTheHour} in the hour)"));
            Assert.That(minutesWithCallbacks, Is.GreaterThanOrEqualTo(3), "callbacks in several minutes of the chart");
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    private static string Count(JsonElement overview, string section, string key) =>
        overview.GetProperty(section).TryGetProperty(key, out var value)
            ? value.GetDouble().ToString(CultureInfo.InvariantCulture)
            : "—";

    [Test]
    public async Task Inbox_RetryingOneFailedCallback_ThenAllFailed_QueuesThemAgain()
    {
        var ids = await FailedCallbacksAsync(3);
        await SignInAsync("admin");
        await GoAsync("inbox");
        var first = _page.Locator($"#inbox tr[data-id='{ids[0]}']");
        await Assertions.Expect(first.Locator("[data-field=status]")).ToHaveTextAsync("failed");

        await first.Locator("button[data-action=retry]").ClickAsync();
        await Assertions.Expect(first.Locator("[data-field=status]")).ToHaveTextAsync("ignored"); // processed again: not an approval event
        await _page.Locator("#view .view-head button", new() { HasText = "Retry all failed" }).ClickAsync();

        await Assertions.Expect(_page.Locator("#toast")).ToContainTextAsync("Queued 2 again");
        foreach (var id in ids.Skip(1))
        {
            await Assertions.Expect(_page.Locator($"#inbox tr[data-id='{id}'] [data-field=status]")).ToHaveTextAsync("ignored");
        }

        var failed = await _api.Factory.WithDbAsync(db => db.Inbox.CountAsync(m => ids.Contains(m.Id) && m.Status == InboxStatus.Failed));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed, Is.Zero);
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    /// <summary>Stored callbacks that ended failed (a contact-change event, which the processor ignores once retried).</summary>
    private Task<List<Guid>> FailedCallbacksAsync(int count) => _api.Factory.WithDbAsync(async db =>
    {
        var now = _api.Factory.Clock.GetUtcNow();
        var messages = Enumerable.Range(1, count).Select(i => InboxMessage.Receive($"console-test-{Guid.NewGuid():N}", "event", "change_contact",
            "<xml><ToUserName><![CDATA[ww0123]]></ToUserName><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event></xml>",
            now.AddSeconds(-i))).ToList();
        db.Inbox.AddRange(messages);
        await db.SaveChangesAsync();
        var ids = messages.Select(m => m.Id).ToList();
        await db.Inbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.Status, InboxStatus.Failed)
            .SetProperty(m => m.Attempts, 3)
            .SetProperty(m => m.LastError, "injected: the use case failed"));
        return ids;
    });

    /// <summary>
    /// GET /api/approvals with real approvals: two quotes submitted to the simulator, one approved there. The view asks
    /// for the open ones first (the pending form, with the sp_no WeCom gave it), and shows the closed one on request.
    /// </summary>
    [Test]
    public async Task Approvals_FromTheRealApi_ListOpenOnesFirst_AndClosedOnesOnRequest()
    {
        using var sales = Client("sales");
        var open = await CreateQuoteAsync(sales, "Gaskets", "Wayne", 640m);
        var openSpNo = await SubmitAsync(sales, open.Id);
        var closed = await CreateQuoteAsync(sales, "Bolts", "Stark", 120m);
        var closedSpNo = await SubmitAsync(sales, closed.Id);
        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await _simulator!.State.ApproveAsync(closedSpNo);
        await WaitForStatusAsync(sales, closed.Id, "approved");
        var asked = new List<string>();
        _page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/approvals?", StringComparison.Ordinal))
            {
                asked.Add(new Uri(request.Url).Query);
            }
        };

        await SignInAsync("sales");
        await GoAsync("approvals");

        var openRow = _page.Locator($"#approvals tr[data-quote-id='{open.Id}']");
        await Assertions.Expect(openRow).ToContainTextAsync(open.Number);
        var openText = await openRow.InnerTextAsync();
        var openStatus = await openRow.Locator("[data-field=status]").InnerTextAsync();
        var closedWhileOpenShown = await _page.Locator($"#approvals tr[data-quote-id='{closed.Id}']").CountAsync();
        await _page.Locator("#view select[name=open]").SelectOptionAsync("false");
        await _page.Locator("#view .filters button[type=submit]").ClickAsync();
        var closedRow = _page.Locator($"#approvals tr[data-quote-id='{closed.Id}']");
        await Assertions.Expect(closedRow).ToContainTextAsync(closed.Number);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(openText, Does.Contain(openSpNo));
            Assert.That(openStatus, Is.EqualTo("pending"), "the approval's own status");
            Assert.That(closedWhileOpenShown, Is.Zero, "closed approvals are not in the open list");
            Assert.That(await closedRow.Locator("[data-field=status]").InnerTextAsync(), Is.EqualTo("approved"));
            Assert.That(await closedRow.InnerTextAsync(), Does.Contain(closedSpNo));
            Assert.That(await _page.Locator($"#approvals tr[data-quote-id='{open.Id}']").CountAsync(), Is.Zero, "and the open one is not among the closed");
            Assert.That(asked, Has.Some.Contains("open=true"), "open ones first");
            Assert.That(asked, Has.Some.Contains("open=false"));
            Assert.That(_consoleErrors, Is.Empty);
        }
    }

    [Test]
    public async Task Quotes_OnAPhoneSizedScreen_FitWithoutSideScrolling()
    {
        using var admin = Client("admin");
        await HttpAssert.OkJsonAsync(await admin.PostJsonAsync("/api/quotes",
            new { title = "Valves for the north plant", customerName = "Globex", amount = 98765.43m, currency = "CNY" }), HttpStatusCode.Created);
        await _page.SetViewportSizeAsync(390, 844);
        await SignInAsync("admin");
        await GoAsync("quotes");
        await Assertions.Expect(_page.Locator("#quotes tbody tr").First).ToContainTextAsync("CIS-");

        var overflow = await _page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var tableOverflow = await _page.EvaluateAsync<int>("() => { const w = document.querySelector('#quotes').parentElement; return w.scrollWidth - w.clientWidth; }");
        var headerShown = await _page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#quotes thead')).display");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(overflow, Is.LessThanOrEqualTo(0), "no horizontal scrolling on a phone");
            Assert.That(tableOverflow, Is.LessThanOrEqualTo(0), "rows stack as cards instead of scrolling sideways");
            Assert.That(headerShown, Is.EqualTo("none"), "each cell carries its own label");
        }
    }

    private static async Task<(Guid Id, string Number)> CreateQuoteAsync(HttpClient client, string title, string customer, decimal amount)
    {
        var quote = await HttpAssert.OkJsonAsync(await client.PostJsonAsync("/api/quotes",
            new { title, customerName = customer, amount, currency = "CNY" }), HttpStatusCode.Created);
        return (quote.GetProperty("id").GetGuid(), quote.GetProperty("number").GetString()!);
    }

    /// <summary>Submits the quote for approval (oa/applyevent on the simulator); returns the sp_no WeCom gave the form.</summary>
    private static async Task<string> SubmitAsync(HttpClient client, Guid quoteId) =>
        (await HttpAssert.OkJsonAsync(await client.PostJsonAsync($"/api/quotes/{quoteId}/submit-approval", new { }), HttpStatusCode.Created))
        .GetProperty("spNo").GetString()!;

    private static Task WaitForStatusAsync(HttpClient client, Guid quoteId, string status) =>
        WeComRoundTrip.EventuallyAsync(async () =>
            (await HttpAssert.OkJsonAsync(await client.GetAsync($"/api/quotes/{quoteId}"))).GetProperty("status").GetString() == status,
            $"quote {quoteId} {status}");

    private async Task SignInAsync(string role)
    {
        await _page.GotoAsync(_origin + "/console/");
        await _page.Locator("#token").FillAsync(_api.Factory.CreateToken(role));
        await _page.Locator("#signin-button").ClickAsync();
        await Assertions.Expect(_page.Locator("#nav")).ToBeVisibleAsync();
    }

    private async Task GoAsync(string view)
    {
        await _page.Locator($"#nav a[data-view={view}]").ClickAsync();
        await Assertions.Expect(_page.Locator("#view")).ToHaveAttributeAsync("data-view", view);
    }

    private async Task<IReadOnlyList<string>> NavigationAsync() =>
        await _page.Locator("#nav a[data-view]").EvaluateAllAsync<string[]>("links => links.map(a => a.dataset.view)");

    private HttpClient Client(string role)
    {
        var client = new HttpClient { BaseAddress = new Uri(_origin) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _api.Factory.CreateToken(role));
        return client;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to load resource: the server responded with a status of 4[0-9][0-9] ")]
    private static partial System.Text.RegularExpressions.Regex ApiRefusal();

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, HttpAssert.Json), System.Text.Encoding.UTF8, "application/json");
}
