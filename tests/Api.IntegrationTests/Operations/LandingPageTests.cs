using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary><c>/</c>: a small anonymous page that says what the service is and links to the console, the API docs and health.</summary>
[TestFixture]
public sealed class LandingPageTests
{
    [Test]
    public async Task Root_WithoutAToken_IsTheLandingPage_WithItsLinks()
    {
        using var factory = new CrmApiFactory().With("OpenApi:Enabled", "true");
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain("WeCom").And.Contain("approval"), "says what the service is");
            Assert.That(html, Does.Contain("href=\"/console/\""));
            Assert.That(html, Does.Contain("href=\"/scalar\"").And.Contain("href=\"/openapi/v1.json\""));
            Assert.That(html, Does.Contain("href=\"/health/live\"").And.Contain("href=\"/health/ready\"").And.Contain("href=\"/health/status\""));
            Assert.That(response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp.Single() : "",
                Does.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'"), "the same pinned sources as the console");
            Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        }
    }

    [Test]
    public async Task Root_WithOpenApiDisabled_HasNoDocsLinks()
    {
        using var factory = new CrmApiFactory().With("OpenApi:Enabled", "false");
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("href=\"/console/\"").And.Contain("href=\"/health/ready\""));
            Assert.That(html, Does.Not.Contain("/scalar").And.Not.Contain("/openapi/v1.json"), "no link to a page that is not there");
            Assert.That((await client.GetAsync("/scalar")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "precondition: the docs are off");
        }
    }

    [Test]
    public async Task AnUnknownPath_StillAsksForAToken()
    {
        using var factory = new CrmApiFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/nope");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "only / itself is anonymous");
    }
}
