using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Platform;

[TestFixture]
public sealed class PlatformTests
{
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Health_Anonymous_Is200(string path)
    {
        using var factory = new CrmApiFactory();
        var response = await factory.CreateClient().GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Ready_WhenDatabaseIsUnreachable_Is503()
    {
        using var factory = new CrmApiFactory();
        var client = factory.CreateClient(); // starts and migrates
        // A broken store is a real fault: EF logs the failed query, the health check its Unhealthy answer, at Error.
        using var brokenQuery = LogCapture.Instance.ExpectErrors("Microsoft.EntityFrameworkCore.Query",
            "An exception occurred while iterating over the results of a query for context type '{contextType}'.{newline}{error}");
        using var unhealthy = LogCapture.Instance.ExpectErrors("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService",
            "Health check {HealthCheckName} with status {HealthStatus} completed after {ElapsedMilliseconds}ms with message '{HealthCheckDescription}'");
        await factory.WithDbAsync(async db =>
        {
            // Break the store under the running service: readiness must notice.
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "DROP TABLE quotes");
            return 0;
        });

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task UnknownApiRoute_WithoutToken_Is401()
    {
        using var factory = new CrmApiFactory();
        var response = await factory.CreateClient().GetAsync("/api/nothing-here");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task OpenApi_IsOffOutsideDevelopment_AndSwitchable()
    {
        using var off = new CrmApiFactory();
        using var on = new CrmApiFactory().With("OpenApi:Enabled", "true");

        Assert.That((await off.CreateClient().GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var document = await on.CreateClient().GetAsync("/openapi/v1.json");
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await document.Content.ReadAsStringAsync(), Does.Contain("/api/quotes"));
    }

    [Test]
    public void Startup_WithHalfConfiguredWeCom_FailsNamingTheKey()
    {
        using var factory = new CrmApiFactory().With("WeCom:Token", "abc");
        var error = CatchStartupFailure(factory);
        Assert.That(error!.ToString(), Does.Contain("WeCom:EncodingAesKey").And.Contain("WeCom:CorpId"));
    }

    [Test]
    public void Startup_WithANotificationLeaseNoSendFitsIn_FailsNamingTheKey()
    {
        using var factory = new CrmApiFactory().With("Notifications:Lease", "00:00:30").With("Notifications:RequestTimeout", "00:00:10");
        var error = CatchStartupFailure(factory);
        Assert.That(error!.ToString(), Does.Contain("Notifications:Lease"));
    }

    [Test]
    public void Startup_WithBadMiniProgramSettings_FailsNamingTheKey()
    {
        using var factory = new CrmApiFactory().With("MiniProgram:AppId", "wx123");
        var error = CatchStartupFailure(factory);
        Assert.That(error!.ToString(), Does.Contain("MiniProgram:AppSecret"));
    }

    [Test]
    public void Startup_WithABadJwtClockSkew_FailsNamingTheKey()
    {
        using var factory = new CrmApiFactory().With("Authentication:Schemes:Bearer:ClockSkew", "-00:00:05");
        var error = CatchStartupFailure(factory);
        Assert.That(error!.ToString(), Does.Contain("Authentication:Schemes:Bearer:ClockSkew"));
    }

    /// <summary>A refused configuration is a fault an operator must fix: the host logs it at Error, on purpose here.</summary>
    private static Exception? CatchStartupFailure(CrmApiFactory factory)
    {
        using var expected = LogCapture.Instance.ExpectErrors("Microsoft.Extensions.Hosting.Internal.Host", "Hosting failed to start");
        return Assert.Catch(() => factory.CreateClient());
    }
}
