using System.Net;
using System.Text.Json;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Simulator.State;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Api.IntegrationTests.Reliability;

/// <summary>
/// Requests that race on one row answer 2xx or 409, never 500, and leave nothing half-done: a slow submit
/// against a sync or a simulated event, concurrent admin retries of one notification, parallel simulated events.
/// </summary>
[TestFixture]
[Category("Reliability")]
public sealed class RaceTests
{
    private const string AliceOpenId = "oAlice0000000000000000000001";

    [Test]
    public async Task SlowSubmit_WhileTheSyncReconcilesItsForm_IsNot500_AndTheSpNoIsRecorded()
    {
        await using var trip = await WeComRoundTrip.StartAsync();
        using var api = trip.Factory.CreateClientAs("sales", "admin");
        var quote = await CreateQuoteAsync(api);
        trip.Simulator.State.InjectFault("/cgi-bin/oa/applyevent", new Fault(DelayMilliseconds: 1500, AfterProcessing: true));

        var submit = api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { });
        await WeComRoundTrip.EventuallyAsync(() => Task.FromResult(trip.Simulator.State.Approvals().Count == 1), "WeCom holds the form");
        var report = await HttpAssert.OkJsonAsync(await api.PostAsync("/api/admin/approvals/sync", null));
        var response = await submit;
        var spNo = trip.Simulator.State.Approvals().Single().SpNo;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.GetProperty("reconciled").GetInt32(), Is.EqualTo(1), "the sync confirmed the submission first");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            Assert.That(await SpNosAsync(trip.Factory, quote.Id), Is.EqualTo(new[] { spNo }));
            Assert.That(await StatusAsync(api, quote.Id), Is.EqualTo("pending_approval"));
        }

        trip.Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await trip.Simulator.State.ApproveAsync(spNo);
        await WeComRoundTrip.EventuallyAsync(async () => await StatusAsync(api, quote.Id) == "approved", "the form's approval reaches the quote");
    }

    [Test]
    public async Task SlowSubmit_WhileASimulatedEventMovesTheQuote_IsNot500_AndTheQuoteFollowsTheEvent()
    {
        await using var trip = await WeComRoundTrip.StartAsync(f => f.With("WeCom:Simulation:Enabled", "true"));
        using var api = trip.Factory.CreateClientAs("sales", "admin");
        var quote = await CreateQuoteAsync(api);
        trip.Simulator.State.InjectFault("/cgi-bin/oa/applyevent", new Fault(DelayMilliseconds: 1500, AfterProcessing: true));

        var submit = api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { });
        await WeComRoundTrip.EventuallyAsync(() => Task.FromResult(trip.Simulator.State.Approvals().Count == 1), "WeCom holds the form");
        trip.Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var simulated = await api.PostJsonAsync("/api/v1/wecom-callback/simulate-approval", new { quote_number = quote.Number, action = "approved" });
        var response = await submit;
        var spNo = trip.Simulator.State.Approvals().Single().SpNo;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(simulated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)response.StatusCode, Is.LessThan(500), await response.Content.ReadAsStringAsync());
            Assert.That(await SpNosAsync(trip.Factory, quote.Id), Is.EqualTo(new[] { spNo }), "the form WeCom created is tied to the quote");
            Assert.That(await StatusAsync(api, quote.Id), Is.EqualTo("approved"), "the submit answer does not undo a later event");
        }
    }

    [Test]
    public async Task LostSubmitAnswer_ThenAnEventClosesTheApproval_TheSyncStillTiesTheFormToTheQuote()
    {
        await using var trip = await WeComRoundTrip.StartAsync(f => f.With("WeCom:Simulation:Enabled", "true"));
        using var api = trip.Factory.CreateClientAs("sales", "admin");
        var quote = await CreateQuoteAsync(api);
        trip.Simulator.State.InjectFault("/cgi-bin/oa/applyevent", new Fault(HttpStatus: 502, AfterProcessing: true));
        await HttpAssert.OkJsonAsync(await api.PostJsonAsync($"/api/quotes/{quote.Id}/submit-approval", new { }), HttpStatusCode.Accepted);
        trip.Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await HttpAssert.OkJsonAsync(await api.PostJsonAsync("/api/v1/wecom-callback/simulate-approval", new { quote_number = quote.Number, action = "approved" }));

        var report = await HttpAssert.OkJsonAsync(await api.PostAsync("/api/admin/approvals/sync", null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.GetProperty("reconciled").GetInt32(), Is.EqualTo(1));
            Assert.That(await SpNosAsync(trip.Factory, quote.Id), Is.EqualTo(new[] { trip.Simulator.State.Approvals().Single().SpNo }));
            Assert.That(await StatusAsync(api, quote.Id), Is.EqualTo("approved"));
        }
    }

    [Test]
    public async Task TwentyParallelSimulatedEvents_OnOneQuote_AnswerNo500()
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        using var api = factory.CreateClientAs("admin");
        string[] actions = ["pending", "approved", "rejected", "cancelled"];
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 3; round++)
        {
            var quote = await CreateQuoteAsync(api);
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                api.PostJsonAsync("/api/v1/wecom-callback/simulate-approval", new { quote_number = quote.Number, action = actions[i % actions.Length] })));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ThirtyConcurrentRetries_OfOneFailedNotification_OneWins_AndOneMessageIsSent()
    {
        using var api = CustomersApi.Create();
        var alice = await api.EmployeeAsync("Alice", "alice", AliceOpenId);
        using var manager = api.Factory.CreateClientAs("manager");
        using var admin = api.Factory.CreateClientAs("admin");
        var outcomes = new List<(int Ok, int Conflict, int Other, int Delivered, NotificationStatus Final)>();
        for (var round = 0; round < 3; round++)
        {
            api.WeChat.Answer(AliceOpenId, 40003); // refused for good: failed, waiting for an admin
            var customer = await api.CustomerAsync($"客户{round}");
            var id = (await HttpAssert.OkJsonAsync(await manager.PatchAsync($"/api/customers/{customer}/assign",
                JsonContent(new { employeeId = alice })))).GetProperty("notificationId").GetGuid();
            await api.WaitForNotificationsAsync();
            Assert.That((await api.NotificationAsync(id)).Status, Is.EqualTo(NotificationStatus.Failed));
            api.WeChat.Answer(AliceOpenId, 0);
            var before = api.WeChat.Delivered.Count;

            var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => admin.PostAsync($"/api/notifications/{id}/retry", null)));
            await api.WaitForNotificationsAsync();
            await Task.Delay(100); // a second requeue that slipped through would be sent by now
            await api.WaitForNotificationsAsync();

            var codes = responses.Select(r => r.StatusCode).ToList();
            outcomes.Add((codes.Count(c => c == HttpStatusCode.OK), codes.Count(c => c == HttpStatusCode.Conflict),
                codes.Count(c => c is not HttpStatusCode.OK and not HttpStatusCode.Conflict),
                api.WeChat.Delivered.Count - before, (await api.NotificationAsync(id)).Status));
        }

        Assert.That(outcomes, Is.All.EqualTo((1, 29, 0, 1, NotificationStatus.Sent)));
    }

    private static async Task<(Guid Id, string Number)> CreateQuoteAsync(HttpClient api)
    {
        var quote = await HttpAssert.OkJsonAsync(
            await api.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "ACME", amount = 1200.5m, currency = "CNY" }),
            HttpStatusCode.Created);
        return (quote.GetProperty("id").GetGuid(), quote.GetProperty("number").GetString()!);
    }

    private static async Task<string> StatusAsync(HttpClient api, Guid id) =>
        (await HttpAssert.OkJsonAsync(await api.GetAsync($"/api/quotes/{id}"))).GetProperty("status").GetString()!;

    private static Task<string?[]> SpNosAsync(CrmApiFactory factory, Guid quoteId) =>
        factory.WithDbAsync(db => db.ApprovalInstances.AsNoTracking().Where(a => a.QuoteId == quoteId).Select(a => a.SpNo).ToArrayAsync());

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
