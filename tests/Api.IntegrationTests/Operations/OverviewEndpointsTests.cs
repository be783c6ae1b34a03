using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary>GET /api/admin/overview and GET /api/approvals: what the operations console reads.</summary>
[TestFixture]
public sealed class OverviewEndpointsTests
{
    [Test]
    public async Task Overview_CountsWhatTheStoreHolds_AndThisHoursActivityPerMinute()
    {
        using var factory = WeComCallbackClient.Configure(new CrmApiFactory()).With("WeCom:Simulation:Enabled", "true");
        using var admin = factory.CreateClientAs("admin", "manager");
        var wecom = new WeComCallbackClient(factory);
        var customers = new CustomersApi(factory, new FakeWeChat()); // no mini-program: notifications stay pending
        var first = await CreateQuoteAsync(admin);
        await CreateQuoteAsync(admin);
        await wecom.PostAsync(WeComMessages.OpenApprovalChange(first, 2, factory.Clock.GetUtcNow().ToUnixTimeSeconds()));
        await factory.WaitForInboxAsync();
        var alice = await customers.EmployeeAsync("Alice", "alice", "oAlice0000000000000000000001");
        await HttpAssert.OkJsonAsync(await admin.PatchAsync($"/api/customers/{await customers.CustomerAsync("张三")}/assign",
            System.Net.Http.Json.JsonContent.Create(new { employeeId = alice })));
        factory.Clock.Advance(TimeSpan.FromSeconds(30));

        var overview = await HttpAssert.OkJsonAsync(await admin.GetAsync("/api/admin/overview"));
        var perMinute = overview.GetProperty("perMinute").EnumerateArray().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(overview.GetProperty("quotes").GetProperty("approved").GetInt32(), Is.EqualTo(1));
            Assert.That(overview.GetProperty("quotes").GetProperty("draft").GetInt32(), Is.EqualTo(1));
            Assert.That(overview.GetProperty("inbox").GetProperty("processed").GetInt32(), Is.EqualTo(1));
            Assert.That(overview.GetProperty("inbox").GetProperty("failed").GetInt32(), Is.Zero);
            Assert.That(overview.GetProperty("inbox").GetProperty("oldestAgeSeconds").GetDouble(), Is.Zero);
            Assert.That(overview.GetProperty("notifications").GetProperty("pending").GetInt32(), Is.EqualTo(1));
            Assert.That(overview.GetProperty("notifications").GetProperty("oldestAgeSeconds").GetDouble(), Is.EqualTo(30));
            Assert.That(overview.GetProperty("notifications").GetProperty("unconfirmed").GetInt32(), Is.Zero);
            Assert.That(overview.GetProperty("lastSync").GetProperty("result").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(perMinute, Has.Count.EqualTo(60));
            Assert.That(perMinute.Select(m => m.GetProperty("minute").GetDateTimeOffset()), Is.Ordered);
            Assert.That(perMinute.Sum(m => m.GetProperty("callbacks").GetInt32()), Is.EqualTo(1));
            Assert.That(perMinute.Sum(m => m.GetProperty("notifications").GetInt32()), Is.EqualTo(1));
            Assert.That(perMinute[^1].GetProperty("minute").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero)));
        }
    }

    [Test]
    public async Task Overview_IsForAdmins()
    {
        using var factory = new CrmApiFactory();
        await HttpAssert.ProblemAsync(await factory.CreateClientAs("manager").GetAsync("/api/admin/overview"), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Approvals_AreListedNewestFirst_WithTheirQuoteNumber_AndFilteredByOpen()
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        using var admin = factory.CreateClientAs("admin");
        var closed = await CreateQuoteAsync(admin);
        var open = await CreateQuoteAsync(admin);
        await Simulate(factory, admin, closed, "approved");
        await Simulate(factory, admin, open, "pending");

        var all = await HttpAssert.OkJsonAsync(await factory.CreateClientAs("sales").GetAsync("/api/approvals"));
        var onlyOpen = await HttpAssert.OkJsonAsync(await admin.GetAsync("/api/approvals?open=true"));
        var tooBig = await admin.GetAsync("/api/approvals?pageSize=100000");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.GetProperty("totalCount").GetInt32(), Is.EqualTo(2));
            Assert.That(all.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("quoteNumber").GetString()), Is.EqualTo(new[] { open, closed }));
            Assert.That(all.GetProperty("items")[1].GetProperty("status").GetString(), Is.EqualTo("approved"));
            Assert.That(all.GetProperty("items")[1].GetProperty("kind").GetString(), Is.EqualTo("open"));
            Assert.That(onlyOpen.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("quoteNumber").GetString()), Is.EqualTo(new[] { open }));
            Assert.That(onlyOpen.GetProperty("items")[0].GetProperty("isOpen").GetBoolean(), Is.True);
        }

        var problem = await HttpAssert.ProblemAsync(tooBig, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("pageSize", out _), Is.True);
    }

    private static async Task Simulate(CrmApiFactory factory, HttpClient admin, string number, string action)
    {
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await HttpAssert.OkJsonAsync(await admin.PostJsonAsync("/api/v1/wecom-callback/simulate-approval", new { quote_number = number, action }));
    }

    private static async Task<string> CreateQuoteAsync(HttpClient api) =>
        (await HttpAssert.OkJsonAsync(await api.PostJsonAsync("/api/quotes",
            new { title = "Pumps", customerName = "ACME", amount = 10m, currency = "CNY" }), HttpStatusCode.Created)).GetProperty("number").GetString()!;
}
