using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

/// <summary>GET /api/quotes/events: live quote-status events, resumable, across instances, opened with a bearer token or a ticket.</summary>
[TestFixture]
public sealed class QuoteEventStreamTests
{
    private const string Simulate = "/api/v1/wecom-callback/simulate-approval";

    [Test]
    public async Task StatusChange_ReachesAConnectedClient_AsAQuoteStatusEvent()
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        using var admin = factory.CreateClientAs("admin");
        var quote = await CreateQuoteAsync(admin);
        await using var events = await EventStream.OpenAsync(factory.CreateClientAs("sales"), "/api/quotes/events");

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await HttpAssert.OkJsonAsync(await admin.PostJsonAsync(Simulate, new { quote_number = quote.Number, action = "pending" }));
        var received = await events.NextAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.ContentType, Is.EqualTo("text/event-stream"));
            Assert.That(received.EventType, Is.EqualTo("quote-status"));
            Assert.That(long.Parse(received.EventId!, System.Globalization.CultureInfo.InvariantCulture), Is.Positive);
            Assert.That(received.Data.GetProperty("quoteId").GetGuid(), Is.EqualTo(quote.Id));
            Assert.That(received.Data.GetProperty("number").GetString(), Is.EqualTo(quote.Number));
            Assert.That(received.Data.GetProperty("status").GetString(), Is.EqualTo("pending_approval"));
            Assert.That(received.Data.GetProperty("approvalStatus").GetString(), Is.EqualTo("pending"));
            Assert.That(received.Data.GetProperty("source").GetString(), Is.EqualTo("simulate"));
            Assert.That(received.Data.GetProperty("occurredAt").GetDateTimeOffset(), Is.EqualTo(factory.Clock.GetUtcNow()));
        }
    }

    [Test]
    public async Task Reconnecting_WithLastEventId_ReplaysWhatWasMissed_InOrder_Once()
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        using var admin = factory.CreateClientAs("admin");
        var quote = await CreateQuoteAsync(admin);
        string firstId;
        await using (var events = await EventStream.OpenAsync(factory.CreateClientAs("sales"), "/api/quotes/events"))
        {
            await SimulateAsync(factory, admin, quote.Number, "pending");
            firstId = (await events.NextAsync()).EventId!;
        }

        await SimulateAsync(factory, admin, quote.Number, "approved");
        await SimulateAsync(factory, admin, quote.Number, "cancelled");
        await using var resumed = await EventStream.OpenAsync(factory.CreateClientAs("sales"), "/api/quotes/events", lastEventId: firstId);
        var missed = new[] { await resumed.NextAsync(), await resumed.NextAsync() };
        await SimulateAsync(factory, admin, quote.Number, "pending"); // a resubmission: live again
        var live = await resumed.NextAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(missed.Select(e => e.Data.GetProperty("status").GetString()), Is.EqualTo(new[] { "approved", "cancelled" }));
            Assert.That(live.Data.GetProperty("status").GetString(), Is.EqualTo("pending_approval"));
            Assert.That(new[] { firstId, missed[0].EventId!, missed[1].EventId!, live.EventId! }.Select(long.Parse), Is.Ordered.And.Unique);
        }
    }

    [Test]
    public async Task ChangeAppliedOnInstanceA_ReachesAClientOfInstanceB()
    {
        using var a = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        using var b = new CrmApiFactory(a.Database);
        using var admin = a.CreateClientAs("admin");
        var quote = await CreateQuoteAsync(admin);
        await using var events = await EventStream.OpenAsync(b.CreateClientAs("sales"), "/api/quotes/events");

        await SimulateAsync(a, admin, quote.Number, "approved");
        var watch = Stopwatch.StartNew();
        var received = await events.NextAsync(TimeSpan.FromSeconds(5)); // B polls the store every 200 ms; the latency is measured in build/
        TestContext.Out.WriteLine($"instance A committed → client of B received: {watch.ElapsedMilliseconds} ms");

        Assert.That(received.Data.GetProperty("status").GetString(), Is.EqualTo("approved"));
    }

    [Test]
    public async Task QuoteIdFilter_SendsOnlyThatQuotesEvents()
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        using var admin = factory.CreateClientAs("admin");
        var watched = await CreateQuoteAsync(admin);
        var other = await CreateQuoteAsync(admin);
        await using var events = await EventStream.OpenAsync(factory.CreateClientAs("sales"), $"/api/quotes/events?quoteId={watched.Id}");

        await SimulateAsync(factory, admin, other.Number, "approved");
        await SimulateAsync(factory, admin, watched.Number, "rejected");

        Assert.That((await events.NextAsync()).Data.GetProperty("quoteId").GetGuid(), Is.EqualTo(watched.Id));
    }

    [Test]
    public async Task Ticket_OpensTheStreamWithoutAToken_UntilItExpires()
    {
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true").With("LiveUpdates:TicketLifetime", "00:01:00");
        using var admin = factory.CreateClientAs("admin");
        var quote = await CreateQuoteAsync(admin);
        var issuedAt = factory.Clock.GetUtcNow();
        var issued = await HttpAssert.OkJsonAsync(await factory.CreateClientAs("sales").PostAsync("/api/quotes/events/ticket", null));
        var ticket = issued.GetProperty("ticket").GetString()!;

        await using (var events = await EventStream.OpenAsync(factory.CreateClient(), $"/api/quotes/events?ticket={Uri.EscapeDataString(ticket)}"))
        {
            await SimulateAsync(factory, admin, quote.Number, "pending");
            Assert.That((await events.NextAsync()).Data.GetProperty("number").GetString(), Is.EqualTo(quote.Number));
        }

        var anonymous = factory.CreateClient();
        var forged = await anonymous.GetAsync("/api/quotes/events?ticket=not-a-ticket");
        var none = await anonymous.GetAsync("/api/quotes/events");
        var ticketAsBearer = new HttpRequestMessage(HttpMethod.Get, "/api/quotes");
        ticketAsBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ticket);
        var elsewhere = await anonymous.SendAsync(ticketAsBearer);
        factory.Clock.Advance(TimeSpan.FromSeconds(60)); // one second was spent on the simulated event
        var expired = await anonymous.GetAsync($"/api/quotes/events?ticket={Uri.EscapeDataString(ticket)}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.GetProperty("expiresAt").GetDateTimeOffset(), Is.EqualTo(issuedAt.AddMinutes(1)));
            await HttpAssert.ProblemAsync(forged, HttpStatusCode.Unauthorized);
            await HttpAssert.ProblemAsync(none, HttpStatusCode.Unauthorized);
            await HttpAssert.ProblemAsync(expired, HttpStatusCode.Unauthorized);
            Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a ticket opens this stream only");
        }
    }

    [Test]
    public async Task TicketAndLastEventId_AreCheckedAsInput()
    {
        using var factory = new CrmApiFactory();
        using var sales = factory.CreateClientAs("sales");

        var badId = await sales.GetAsync("/api/quotes/events?lastEventId=abc");
        var viewer = await factory.CreateClientAs("viewer").GetAsync("/api/quotes/events");
        var ticketWithoutToken = await factory.CreateClient().PostAsync("/api/quotes/events/ticket", null);

        await HttpAssert.ProblemAsync(badId, HttpStatusCode.BadRequest);
        await HttpAssert.ProblemAsync(viewer, HttpStatusCode.Forbidden);
        Assert.That(ticketWithoutToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static async Task SimulateAsync(CrmApiFactory factory, HttpClient admin, string number, string action)
    {
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await HttpAssert.OkJsonAsync(await admin.PostJsonAsync(Simulate, new { quote_number = number, action }));
    }

    private static async Task<(Guid Id, string Number)> CreateQuoteAsync(HttpClient api)
    {
        var quote = await HttpAssert.OkJsonAsync(
            await api.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "ACME", amount = 10m, currency = "CNY" }), HttpStatusCode.Created);
        return (quote.GetProperty("id").GetGuid(), quote.GetProperty("number").GetString()!);
    }

    /// <summary>An open event stream, read with the runtime's SSE parser.</summary>
    private sealed class EventStream : IAsyncDisposable
    {
        private readonly HttpClient _client;
        private readonly HttpResponseMessage _response;
        private readonly IAsyncEnumerator<SseItem<string>> _items;
        private readonly CancellationTokenSource _cancel = new();

        private EventStream(HttpClient client, HttpResponseMessage response, Stream body)
        {
            _client = client;
            _response = response;
            _items = SseParser.Create(body).EnumerateAsync(_cancel.Token).GetAsyncEnumerator(_cancel.Token);
        }

        public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

        public static async Task<EventStream> OpenAsync(HttpClient client, string url, string? lastEventId = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }

            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ErrorBodyAsync(response));
            var stream = new EventStream(client, response, await response.Content.ReadAsStreamAsync());
            await Task.Delay(300); // the server subscribes as the response starts; let it settle before the test acts
            return stream;
        }

        public async Task<(string? EventId, string EventType, JsonElement Data)> NextAsync(TimeSpan? timeout = null)
        {
            var next = _items.MoveNextAsync().AsTask();
            var done = await Task.WhenAny(next, Task.Delay(timeout ?? TimeSpan.FromSeconds(10)));
            Assert.That(done, Is.SameAs(next), "no event arrived in time");
            Assert.That(await next, Is.True, "the stream ended");
            var item = _items.Current;
            return (item.EventId, item.EventType, JsonDocument.Parse(item.Data).RootElement);
        }

        public async ValueTask DisposeAsync()
        {
            await _cancel.CancelAsync();
            _response.Dispose();
            _client.Dispose();
            _cancel.Dispose();
        }

        private static async Task<string> ErrorBodyAsync(HttpResponseMessage response) =>
            response.StatusCode == HttpStatusCode.OK ? "" : await response.Content.ReadAsStringAsync();
    }
}
