using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Application.Approvals.WeCom;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

[TestFixture]
public sealed class SimulationEndpointsTests
{
    private const string Route = "/api/v1/wecom-callback/simulate-approval";

    [Test]
    public async Task Simulate_AsAdmin_RunsTheCallbackPathWithSourceSimulate()
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        var client = factory.CreateClientAs("admin");
        var quote = await HttpAssert.OkJsonAsync(
            await client.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "ACME", amount = 5m, currency = "CNY" }),
            HttpStatusCode.Created);
        var number = quote.GetProperty("number").GetString()!;

        var pending = await HttpAssert.OkJsonAsync(await client.PostJsonAsync(Route, new { quote_number = number, action = "pending" }));
        factory.Clock.Advance(TimeSpan.FromSeconds(5));
        var approved = await HttpAssert.OkJsonAsync(await client.PostJsonAsync(Route, new { quote_number = number, action = "approved" }));
        factory.Clock.Advance(TimeSpan.FromSeconds(5));
        var late = await HttpAssert.OkJsonAsync(await client.PostJsonAsync(Route, new { quote_number = number, action = "rejected" }));
        var timeline = await HttpAssert.OkJsonAsync(await client.GetAsync($"/api/quotes/{quote.GetProperty("id").GetGuid()}/timeline"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending.GetProperty("status").GetString(), Is.EqualTo("pending_approval"));
            Assert.That(approved.GetProperty("status").GetString(), Is.EqualTo("approved"));
            Assert.That(approved.GetProperty("outcome").GetString(), Is.EqualTo("applied"));
            Assert.That(late.GetProperty("outcome").GetString(), Is.EqualTo("stale"));
            Assert.That(late.GetProperty("status").GetString(), Is.EqualTo("approved"));
            Assert.That(timeline.EnumerateArray().Select(t => t.GetProperty("source").GetString()), Is.All.EqualTo("simulate"));
        }
    }

    [Test]
    public async Task Simulate_AsSales_Is403()
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        var response = await factory.CreateClientAs("sales").PostJsonAsync(Route, new { quote_number = "CIS-20261122-0001", action = "approved" });
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Simulate_WhenDisabled_Is404()
    {
        using var factory = new CrmApiFactory(); // Testing environment: off unless switched on
        var response = await factory.CreateClientAs("admin").PostJsonAsync(Route, new { quote_number = "CIS-20261122-0001", action = "approved" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Simulate_IsMappedFromWeComSimulationOptions_NotFromTheRawKey()
    {
        using var factory = new CrmApiFactory { ConfigureTestServices = s => s.Configure<WeComOptions>(o => o.Simulation.Enabled = true) };

        var response = await factory.CreateClientAs("admin").PostJsonAsync(Route, new { quote_number = "CIS-20261122-0001", action = "bogus" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "mapped: the bad action is a 400, not a 404");
    }

    [TestCase(null, HttpStatusCode.BadRequest)]
    [TestCase("false", HttpStatusCode.NotFound)]
    public async Task Simulate_InDevelopment_IsOnUnlessSwitchedOff(string? enabled, HttpStatusCode expected)
    {
        using var factory = new CrmApiFactory { EnvironmentName = "Development" }.With("WeCom:Simulation:Enabled", enabled);

        var response = await factory.CreateClientAs("admin").PostJsonAsync(Route, new { quote_number = "CIS-20261122-0001", action = "bogus" });

        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [TestCase("CIS-20261122-0404", "approved", HttpStatusCode.NotFound)]
    [TestCase("CIS-20261122-0001", "paid", HttpStatusCode.BadRequest)]
    [TestCase("", "approved", HttpStatusCode.BadRequest)]
    public async Task Simulate_WithBadInput_IsAProblem(string number, string action, HttpStatusCode status)
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        var response = await factory.CreateClientAs("admin").PostJsonAsync(Route, new { quote_number = number, action });
        await HttpAssert.ProblemAsync(response, status);
    }
}
