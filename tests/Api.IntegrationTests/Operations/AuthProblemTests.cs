using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary>A 401 says why the token was refused, a 403 which roles the route needs; neither repeats a token or key.</summary>
[TestFixture]
public sealed class AuthProblemTests
{
    private CrmApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _factory = new CrmApiFactory();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task NoToken_401_SaysNoTokenWasSent()
    {
        var response = await _client.GetAsync("/api/quotes");
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("reason").GetString(), Is.EqualTo("missing_token"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("bearer token"));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        }
    }

    public static IEnumerable<TestCaseData> BadTokens()
    {
        yield return new TestCaseData(new TokenShape { Expires = DateTime.UtcNow.AddMinutes(-10) }, "token_expired", "expired")
            .SetName("ExpiredToken_401_SaysItExpired");
        yield return new TestCaseData(new TokenShape { Issuer = "someone-else" }, "invalid_issuer", "issuer")
            .SetName("WrongIssuer_401_SaysTheIssuerIsNotAccepted");
        yield return new TestCaseData(new TokenShape { Audience = "another-api" }, "invalid_audience", "audience")
            .SetName("WrongAudience_401_SaysTheAudienceIsNotAccepted");
        yield return new TestCaseData(
                new TokenShape { SigningKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), KeyId = "unknown-key" },
                "unknown_signing_key", "key")
            .SetName("UnknownSigningKey_401_SaysTheKeyIsUnknown");
        yield return new TestCaseData(null, "malformed_token", "not a JWT")
            .SetName("MalformedToken_401_SaysItIsNotAJwt");
    }

    [TestCaseSource(nameof(BadTokens))]
    public async Task BadToken_401_SaysWhy(TokenShape? shape, string reason, string detailMentions)
    {
        var token = shape is null ? "not-a-jwt-but-secret-looking-" + Guid.NewGuid().ToString("N") : _factory.CreateToken(shape, "admin");
        LogCapture.Instance.RegisterSecret(token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/quotes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await _client.SendAsync(request);
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        var body = problem.GetRawText();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("reason").GetString(), Is.EqualTo(reason));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(detailMentions));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
            NoSecretIn(body + response.Headers.WwwAuthenticate, token);
        }
    }

    [TestCase("sales", "POST", "/api/customers", new[] { "admin", "manager" }, TestName = "Forbidden_SalesCreatingACustomer_SaysAdminOrManager")]
    [TestCase("manager", "POST", "/api/admin/approvals/sync", new[] { "admin" }, TestName = "Forbidden_ManagerRunningTheSync_SaysAdmin")]
    [TestCase("viewer", "GET", "/api/quotes", new[] { "admin", "manager", "sales" }, TestName = "Forbidden_NoKnownRole_SaysAnyStaffRole")]
    public async Task Forbidden_403_SaysWhichRolesTheRouteNeeds(string role, string method, string path, string[] roles)
    {
        var token = _factory.CreateToken(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        var response = await _client.SendAsync(request);
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Forbidden);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("reason").GetString(), Is.EqualTo("missing_role"));
            Assert.That(problem.GetProperty("requiredRoles").EnumerateArray().Select(r => r.GetString()), Is.EquivalentTo(roles));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(string.Join(", ", roles)));
            NoSecretIn(problem.GetRawText(), token);
        }
    }

    private void NoSecretIn(string text, string token)
    {
        Assert.That(text, Does.Not.Contain(token));
        Assert.That(text, Does.Not.Contain(token.Split('.')[^1]), "the token's signature");
        Assert.That(text, Does.Not.Contain(_factory.SigningKey));
        Assert.That(text, Does.Not.Contain(JsonSerializer.Serialize(_factory.SigningKey).Trim('"')));
    }
}
