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
              window.events = await watchQuotes(api, token, (s) => window.received.push(s));
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
            var html = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>CRM</title></head><body><script>{script}</script></body></html>";
            app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
            app.MapGet("/favicon.ico", () => Results.NoContent());
            await app.StartAsync();
            var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            return new FrontendPage(app, origin);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
