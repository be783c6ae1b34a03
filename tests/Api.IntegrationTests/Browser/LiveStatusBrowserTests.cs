using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CrmIntegration.Api.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CrmIntegration.Api.IntegrationTests.Browser;

/// <summary>
/// README's EventSource example, run as written in Chromium on a page of another origin: CORS, the stream ticket
/// and the quote-status events, end to end through a real browser.
/// </summary>
[TestFixture]
[Category("Browser")]
[ScreenshotEveryTest]
public sealed partial class LiveStatusBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    public async Task ReadmeEventSourceExample_InABrowserOnAnotherOrigin_ReceivesTheStatusChange()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore($"No Chromium at {Chromium} (apt-get install -y chromium; .ci/run installs it): browser tests skipped.");
        }

        await using var page = await FrontendPage.StartAsync(ReadmeExample());
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true").With("Cors:AllowedOrigins:0", page.Origin);
        factory.UseKestrel(0);
        factory.StartServer();
        var api = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        using var admin = new HttpClient { BaseAddress = new Uri(api) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.CreateToken("admin"));
        var quote = await HttpAssert.OkJsonAsync(await admin.PostJsonAsync("/api/quotes",
            new { title = "Pumps", customerName = "ACME", amount = 10m, currency = "CNY" }), HttpStatusCode.Created);
        var number = quote.GetProperty("number").GetString()!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var tab = await browser.NewPageAsync();
        try
        {
            var consoleErrors = new List<string>();
            tab.Console += (_, m) =>
            {
                if (m.Type == "error")
                {
                    consoleErrors.Add(m.Text);
                }
            };
            await tab.GotoAsync(page.Origin);
            await tab.EvaluateAsync("""
                async ([api, token]) => {
                  window.received = [];
                  window.events = await watchQuotes(api, token, (s) => { window.received.push(s); show(s); });
                }
                """, new object[] { api, factory.CreateToken("sales") });
            await tab.WaitForFunctionAsync("() => window.events.readyState === EventSource.OPEN", null, new() { Timeout = 10_000 });

            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await HttpAssert.OkJsonAsync(await admin.PostJsonAsync("/api/v1/wecom-callback/simulate-approval", new { quote_number = number, action = "approved" }));
            await tab.WaitForFunctionAsync("() => window.received.length > 0", null, new() { Timeout = 10_000 });
            var received = await tab.EvaluateAsync<Dictionary<string, object>>("() => window.received[0]");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(received["number"]?.ToString(), Is.EqualTo(number));
                Assert.That(received["status"]?.ToString(), Is.EqualTo("approved"));
                Assert.That(received["source"]?.ToString(), Is.EqualTo("simulate"));
                Assert.That(consoleErrors, Is.Empty, "no CORS or script error in the page");
            }
        }
        finally
        {
            await BrowserScreenshots.SaveAsync(tab); // the page lists what it received
        }
    }

    /// <summary>
    /// The example's own recovery: the server drops the stream after the ticket has expired, EventSource's reconnect
    /// (with Last-Event-ID) is refused with 401 and closes, and the example's onerror takes a new ticket and opens a new
    /// stream with the last id it saw. The two changes made in between (new tickets are held until both are stored)
    /// reach the page in order, once each.
    /// </summary>
    [Test]
    public async Task ReadmeEventSourceExample_AfterTheServerDropsTheStreamAndTheTicketExpires_ResumesWithTheMissedChanges_InOrder_Once()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore($"No Chromium at {Chromium} (apt-get install -y chromium; .ci/run installs it): browser tests skipped.");
        }

        await using var page = await FrontendPage.StartAsync(ReadmeExample());
        var streams = new StreamSwitch();
        using var factory = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true").With("Cors:AllowedOrigins:0", page.Origin)
            .With("LiveUpdates:TicketLifetime", "00:00:30");
        factory.ConfigureTestServices = services => services.AddSingleton<IStartupFilter>(new StreamSwitchFilter(streams));
        factory.UseKestrel(0);
        factory.StartServer();
        var api = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        using var admin = new HttpClient { BaseAddress = new Uri(api) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.CreateToken("admin"));
        var numbers = new List<string>();
        foreach (var title in new[] { "Pumps", "Valves", "Pipes" })
        {
            var quote = await HttpAssert.OkJsonAsync(await admin.PostJsonAsync("/api/quotes",
                new { title, customerName = "ACME", amount = 10m, currency = "CNY" }), HttpStatusCode.Created);
            numbers.Add(quote.GetProperty("number").GetString()!);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var tab = await browser.NewPageAsync();
        try
        {
            var scriptErrors = new List<string>();
            tab.PageError += (_, e) => scriptErrors.Add(e); // the dropped stream and the 401 are console noise, not script errors
            await tab.GotoAsync(page.Origin);
            await tab.EvaluateAsync("""
                async ([api, token]) => {
                  window.received = [];
                  window.events = await watchQuotes(api, token, (s) => { window.received.push(s); show(s); });
                }
                """, new object[] { api, factory.CreateToken("sales") });
            await tab.WaitForFunctionAsync("() => window.events.readyState === EventSource.OPEN", null, new() { Timeout = 10_000 });
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await Approve(numbers[0], "approved");
            await tab.WaitForFunctionAsync("() => window.received.length === 1", null, new() { Timeout = 10_000 });
            var firstSeq = await tab.EvaluateAsync<long>("() => window.received[0].seq");

            streams.HoldTickets();
            factory.Clock.Advance(TimeSpan.FromSeconds(31)); // past LiveUpdates:TicketLifetime
            Assert.That(streams.AbortOpenStreams(), Is.EqualTo(1), "precondition: the page's one stream, dropped by the server");
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await Approve(numbers[1], "approved");
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await Approve(numbers[2], "rejected");
            await streams.TicketRequested.WaitAsync(TimeSpan.FromSeconds(20)); // the example's onerror, once the reconnect got 401
            streams.ReleaseTickets();

            await tab.WaitForFunctionAsync("() => window.received.length >= 3", null, new() { Timeout = 15_000 });
            await Task.Delay(500); // room for a duplicate to show up
            var received = await tab.EvaluateAsync<string[]>("() => window.received.map(s => `${s.seq} ${s.number} ${s.status}`)");
            var requests = streams.Requests.ToList();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(received.Select(r => r[(r.IndexOf(' ', StringComparison.Ordinal) + 1)..]),
                    Is.EqualTo(new[] { $"{numbers[0]} approved", $"{numbers[1]} approved", $"{numbers[2]} rejected" }), "each change once, in order");
                Assert.That(received.Select(r => long.Parse(r[..r.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)),
                    Is.Ordered.Ascending.And.Unique);
                Assert.That(requests, Has.Some.Matches<StreamRequest>(r => r.LastEventIdHeader == firstSeq.ToString(System.Globalization.CultureInfo.InvariantCulture) && r.Status == 401),
                    "EventSource reconnected with Last-Event-ID and the expired ticket was refused");
                Assert.That(requests[^1].LastEventIdQuery, Is.EqualTo(firstSeq.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    "the new stream resumed from the last id the page saw");
                Assert.That(scriptErrors, Is.Empty);
            }
        }
        finally
        {
            await BrowserScreenshots.SaveAsync(tab); // the page lists what it received
        }

        async Task Approve(string number, string action) =>
            await HttpAssert.OkJsonAsync(await admin.PostJsonAsync("/api/v1/wecom-callback/simulate-approval", new { quote_number = number, action }));
    }

    /// <summary>The ```js block of README's "Live status" section, exactly as a reader copies it.</summary>
    private static string ReadmeExample()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Live status", StringComparison.Ordinal)..];
        return JsBlock().Match(section).Groups[1].Value;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "CrmIntegration.sln")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }

    [GeneratedRegex("```js\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsBlock();

    /// <summary>The CRM frontend's stand-in: one page with the example's script, served from its own origin.</summary>
    private sealed class FrontendPage : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FrontendPage(WebApplication app, string origin)
        {
            _app = app;
            Origin = origin;
        }

        public string Origin { get; }

        public static async Task<FrontendPage> StartAsync(string script)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            // The example as written, and a line per event received (what the screenshot shows).
            const string show = "function show(s) { const p = document.createElement('pre'); p.textContent = `${s.seq} ${s.number} ${s.status} (${s.source})`; document.body.append(p); }";
            var html = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>CRM</title></head><body><h1>quote-status events</h1><script>{script}\n{show}</script></body></html>";
            app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
            app.MapGet("/favicon.ico", () => Results.NoContent());
            await app.StartAsync();
            var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            return new FrontendPage(app, origin);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    /// <summary>One request for the stream as the service saw it.</summary>
    private sealed record StreamRequest(string? LastEventIdHeader, string? LastEventIdQuery)
    {
        public int? Status { get; set; }
    }

    /// <summary>The test's hand on the server: drop the open streams, hold new tickets back, see what reached the stream.</summary>
    private sealed class StreamSwitch
    {
        private readonly ConcurrentDictionary<HttpContext, byte> _open = new();
        private TaskCompletionSource? _gate;
        private readonly TaskCompletionSource _ticketRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<StreamRequest> Requests { get; } = new();

        public Task TicketRequested => _ticketRequested.Task;

        public void HoldTickets() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void ReleaseTickets() => _gate?.TrySetResult();

        public int AbortOpenStreams()
        {
            var open = _open.Keys.ToList();
            open.ForEach(c => c.Abort());
            return open.Count;
        }

        public async Task HandleAsync(HttpContext context, RequestDelegate next)
        {
            var path = context.Request.Path;
            if (path == "/api/quotes/events/ticket" && HttpMethods.IsPost(context.Request.Method) && _gate is { } gate)
            {
                _ticketRequested.TrySetResult();
                await gate.Task;
            }

            if (path != "/api/quotes/events" || !HttpMethods.IsGet(context.Request.Method))
            {
                await next(context);
                return;
            }

            var request = new StreamRequest(context.Request.Headers["Last-Event-ID"].FirstOrDefault(), context.Request.Query["lastEventId"].FirstOrDefault());
            Requests.Enqueue(request);
            context.Response.OnStarting(() =>
            {
                request.Status = context.Response.StatusCode;
                return Task.CompletedTask;
            });
            _open.TryAdd(context, 0);
            try
            {
                await next(context);
            }
            finally
            {
                _open.TryRemove(context, out _);
            }
        }
    }

    private sealed class StreamSwitchFilter(StreamSwitch streams) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(streams.HandleAsync);
            next(app);
        };
    }
}
