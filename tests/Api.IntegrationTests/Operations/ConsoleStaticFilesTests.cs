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

    [Test]
    public async Task AnUnknownConsoleFile_IsNotTheIndexPage()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync("/console/nope.js");

        // No file and no endpoint: the fallback policy asks for a token (401), as for any unknown path.
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
