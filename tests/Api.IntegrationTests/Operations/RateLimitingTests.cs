using System.Net;
using System.Net.Http.Headers;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary>/api is limited per caller (the token's sub, else the client IP); WeCom's signed callbacks never are.</summary>
[TestFixture]
public sealed class RateLimitingTests
{
    [Test]
    public async Task OverTheLimit_Is429ProblemDetails_WithRetryAfter()
    {
        using var factory = new CrmApiFactory().With("RateLimiting:PermitsPerMinute", "3");
        using var client = factory.CreateClientAs("admin");
        for (var i = 0; i < 3; i++)
        {
            await HttpAssert.OkJsonAsync(await client.GetAsync("/api/quotes"));
        }

        var response = await client.GetAsync("/api/quotes");
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.TooManyRequests);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("3 requests per minute"));
        }
    }

    [Test]
    public async Task TwoCallers_HaveSeparateBudgets()
    {
        using var factory = new CrmApiFactory().With("RateLimiting:PermitsPerMinute", "2");
        using var alice = Client(factory, "alice");
        using var bob = Client(factory, "bob");
        await HttpAssert.OkJsonAsync(await alice.GetAsync("/api/quotes"));
        await HttpAssert.OkJsonAsync(await alice.GetAsync("/api/quotes"));
        await HttpAssert.ProblemAsync(await alice.GetAsync("/api/quotes"), HttpStatusCode.TooManyRequests);

        await HttpAssert.OkJsonAsync(await bob.GetAsync("/api/quotes"));
        await HttpAssert.OkJsonAsync(await bob.GetAsync("/api/quotes"));
        // Anonymous callers share their IP's budget, not alice's: still a 401, not a 429.
        await HttpAssert.ProblemAsync(await factory.CreateClient().GetAsync("/api/quotes"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task SignedCallbacks_AreNeverLimited()
    {
        using var factory = WeComCallbackClient.Configure(new CrmApiFactory()).With("RateLimiting:PermitsPerMinute", "1");
        var wecom = new WeComCallbackClient(factory);
        var time = factory.Clock.GetUtcNow().ToUnixTimeSeconds();
        for (var i = 0; i < 5; i++)
        {
            var response = await wecom.PostAsync(WeComMessages.OpenApprovalChange($"CIS-20261122-{i:D4}", 1, time));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task SwitchedOff_NothingIsLimited()
    {
        using var factory = new CrmApiFactory().With("RateLimiting:Enabled", "false").With("RateLimiting:PermitsPerMinute", "1");
        using var client = factory.CreateClientAs("admin");
        for (var i = 0; i < 4; i++)
        {
            await HttpAssert.OkJsonAsync(await client.GetAsync("/api/quotes"));
        }
    }

    [Test]
    public void ABadLimit_StopsStartUp_NamingTheKey()
    {
        using var factory = new CrmApiFactory().With("RateLimiting:PermitsPerMinute", "0");
        using var expected = LogCapture.Instance.ExpectErrors("Microsoft.Extensions.Hosting.Internal.Host", "Hosting failed to start");
        var error = Assert.Catch(() => factory.CreateClient());
        Assert.That(error!.ToString(), Does.Contain("RateLimiting:PermitsPerMinute"));
    }

    private static HttpClient Client(CrmApiFactory factory, string subject)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.CreateToken(new TokenShape { Subject = subject }, "admin"));
        return client;
    }
}
