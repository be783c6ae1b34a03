using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary>The operations console's files (ADR-20): served by the service itself, without a token, outside CORS and rate limiting.</summary>
[TestFixture]
public sealed class ConsoleStaticFilesTests
{
    private CrmApiFactory _factory = null!;

    [OneTimeSetUp]
    public void Start() => _factory = new CrmApiFactory()
        .With("Cors:AllowedOrigins:0", "https://crm.example.com")
        .With("RateLimiting:PermitsPerMinute", "2");

    [OneTimeTearDown]
    public void Stop() => _factory.Dispose();

    [Test]
    public async Task ConsoleSlash_WithoutAToken_IsTheIndexPage()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync("/console/");
        var html = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain("console.js"));
            Assert.That(response.Headers.Contains("Content-Security-Policy"), Is.True, "the console pins its sources");
        }
    }

    [Test]
    public async Task Console_WithoutTheSlash_RedirectsToIt()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/console");

        Assert.That((response.StatusCode, response.Headers.Location?.AbsolutePath), Is.EqualTo((HttpStatusCode.MovedPermanently, "/console/")));
    }

    [TestCase("/console/console.js", "text/javascript")]
    [TestCase("/console/console.css", "text/css")]
    public async Task ConsoleAssets_WithoutAToken_AreServed(string path, string mediaType)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(path);

        Assert.That((response.StatusCode, response.Content.Headers.ContentType?.MediaType), Is.EqualTo((HttpStatusCode.OK, mediaType)));
    }

    [Test]
    public async Task ConsoleConfig_WithoutAToken_NamesTheEnvironment()
    {
        using var client = _factory.CreateClient();

        var config = await HttpAssert.OkJsonAsync(await client.GetAsync("/console/config.json"));

        Assert.That(config.GetProperty("environment").GetString(), Is.EqualTo("Testing"));
    }

    [Test]
    public async Task ConsoleFiles_FromAnotherOrigin_ManyTimes_GetNoCorsHeadersAndNoRateLimit()
    {
        using var client = _factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        var corsHeaders = 0;
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/console/console.js");
            request.Headers.Add("Origin", "https://crm.example.com");
            var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
            corsHeaders += response.Headers.Contains("Access-Control-Allow-Origin") ? 1 : 0;
        }

        Assert.That((statuses.Distinct().Single(), corsHeaders), Is.EqualTo((HttpStatusCode.OK, 0)));
    }

    [TestCase("/console/unknown.js")]
    [TestCase("/console/views/missing.css")]
    [TestCase("/console/no-such-page")]
    public async Task AMissingConsoleFile_WithoutAToken_Is404_NotAnAuthenticationProblem(string path)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        // A missing static file is "not found" for anyone; a 401 would send the reader looking for a token.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), body);
            Assert.That(response.Headers.WwwAuthenticate, Is.Empty);
            Assert.That(body, Does.Not.Contain("console.js"), "not the index page");
        }
    }

    [Test]
    public async Task AMissingConsoleFile_WithAToken_IsStill404()
    {
        using var client = _factory.CreateClientAs("admin");

        var response = await client.GetAsync("/console/unknown.js");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task AnUnknownPathOutsideTheConsole_StillAsksForAToken()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync("/consoles/unknown.js");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "only /console/ answers 404 for what it lacks");
    }
}
