using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary>CORS from Cors:AllowedOrigins, for /api only; preflights need no token; the WeCom callback never gets CORS.</summary>
[TestFixture]
public sealed class CorsTests
{
    private const string Allowed = "https://crm.example.com";
    private const string Other = "https://evil.example.net";

    private CrmApiFactory _factory = null!;
    private HttpClient _anonymous = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory())
            .With("Cors:AllowedOrigins:0", Allowed).With("Cors:AllowedOrigins:1", "https://admin.example.com");
        _anonymous = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _anonymous.Dispose();
        _factory.Dispose();
    }

    [TestCase("GET", "/api/quotes")]
    [TestCase("POST", "/api/quotes")]
    [TestCase("PUT", "/api/employees/0b6f2a52-3c1e-4a8e-9a57-1f6c0f0e1a11/openid")]
    [TestCase("PATCH", "/api/customers/0b6f2a52-3c1e-4a8e-9a57-1f6c0f0e1a11/assign")]
    [TestCase("DELETE", "/api/quotes")]
    public async Task Preflight_FromAnAllowedOrigin_Is204WithTheHeaders(string method, string path)
    {
        var response = await _anonymous.SendAsync(Preflight(path, Allowed, method));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.EqualTo(Allowed));
            Assert.That(Header(response, "Access-Control-Allow-Methods"), Does.Contain(method));
            Assert.That(Header(response, "Access-Control-Allow-Headers")?.ToLowerInvariant(), Does.Contain("authorization").And.Contain("content-type"));
        }
    }

    [Test]
    public async Task Preflight_FromAnotherOrigin_HasNoCorsHeaders_AndNeedsNoToken()
    {
        var response = await _anonymous.SendAsync(Preflight("/api/quotes", Other, "POST"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.Null);
            Assert.That(Header(response, "Access-Control-Allow-Methods"), Is.Null);
        }
    }

    [TestCase(Allowed)]
    [TestCase(Other)]
    public async Task Preflight_ToTheWeComCallback_HasNoCorsHeaders(string origin)
    {
        var response = await _anonymous.SendAsync(Preflight("/wecom/callback", origin, "POST"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.Null);
            Assert.That(Header(response, "Access-Control-Allow-Methods"), Is.Null);
        }
    }

    [Test]
    public async Task Get_WithAnAllowedOriginAndAToken_AllowsTheOrigin_AndExposesLocationAndRetryAfter()
    {
        using var client = _factory.CreateClientAs("admin");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/quotes");
        request.Headers.Add("Origin", Allowed);

        var response = await client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.EqualTo(Allowed));
            Assert.That(Header(response, "Access-Control-Expose-Headers"), Does.Contain("Location").And.Contain("Retry-After"));
        }
    }

    [Test]
    public async Task Get_WithAnotherOrigin_HasNoAllowOrigin()
    {
        using var client = _factory.CreateClientAs("admin");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/quotes");
        request.Headers.Add("Origin", Other);

        var response = await client.SendAsync(request);

        Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.Null);
    }

    [Test]
    public async Task NoOriginsConfigured_NoOriginIsAllowed()
    {
        using var factory = new CrmApiFactory();
        var response = await factory.CreateClient().SendAsync(Preflight("/api/quotes", Allowed, "GET"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.Null);
        }
    }

    private static HttpRequestMessage Preflight(string path, string origin, string method)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
