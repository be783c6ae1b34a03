using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using Microsoft.Data.Sqlite;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary>Configuration is checked before the database is touched; Production needs a JWT key or authority and never simulates.</summary>
[TestFixture]
public sealed class StartupTests
{
    [Test]
    public void BadOptions_StopStartUp_BeforeAnyMigration()
    {
        using var factory = new CrmApiFactory().With("Notifications:Lease", "00:00:30").With("Notifications:RequestTimeout", "00:00:10");

        var error = CatchStartupFailure(factory);

        Assert.That(error!.ToString(), Does.Contain("Notifications:Lease"));
        Assert.That(MigratedTables(factory.DatabasePath), Is.Empty, "options are validated before the database is migrated");
    }

    [TestCase("Notifications:LeaseSeconds", "60", "Notifications:Lease")]
    [TestCase("WeCom:Callback:MaxClockSkewSeconds", "0", "WeCom:Callback:MaxClockSkew")]
    [TestCase("Authentication:Schemes:Bearer:ClockSkewSeconds", "30", "Authentication:Schemes:Bearer:ClockSkew")]
    public void ARenamedSecondsKey_StopsStartUp_NamingTheNewKey(string oldKey, string value, string newKey)
    {
        using var factory = new CrmApiFactory().With(oldKey, value);

        var error = CatchStartupFailure(factory);

        Assert.That(error!.ToString(), Does.Contain($"{oldKey} is now {newKey}"));
        Assert.That(MigratedTables(factory.DatabasePath), Is.Empty);
    }

    [Test]
    public void ThePerInstanceSyncCallLimit_StopsStartUp_NamingTheSharedBudget()
    {
        using var factory = new CrmApiFactory().With("WeCom:Sync:MaxCallsPerMinute", "300");

        var error = CatchStartupFailure(factory);

        Assert.That(error!.ToString(), Does.Contain("WeCom:Sync:MaxCallsPerMinute is now WeCom:CallBudget:PerMinute"));
        Assert.That(MigratedTables(factory.DatabasePath), Is.Empty);
    }

    [Test]
    public void ABareNumberForADuration_IsReadAsDays_AndRefused()
    {
        using var factory = new CrmApiFactory().With("WeCom:Callback:MaxClockSkew", "300");

        var error = CatchStartupFailure(factory);

        Assert.That(error!.ToString(), Does.Contain("WeCom:Callback:MaxClockSkew must be from 00:00:00 (off) to 1.00:00:00"));
    }

    [Test]
    public void Production_WithoutSigningKeysOrAuthority_RefusesToStart_NamingTheKeys()
    {
        using var factory = new CrmApiFactory { EnvironmentName = "Production", ConfigureSigningKey = false };

        var error = CatchStartupFailure(factory);

        Assert.That(error!.ToString(), Does.Contain("Authentication:Schemes:Bearer:SigningKeys").And.Contain("Authentication:Schemes:Bearer:Authority"));
        Assert.That(MigratedTables(factory.DatabasePath), Is.Empty, "the JWT check runs before the database is migrated");
    }

    [Test]
    public async Task Production_WithAnAuthority_Starts()
    {
        using var factory = new CrmApiFactory { EnvironmentName = "Production", ConfigureSigningKey = false }
            .With("Authentication:Schemes:Bearer:Authority", "https://login.example.com/tenant");

        var response = await factory.CreateClient().GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Production_NeverMapsTheSimulateApprovalEndpoint_EvenWhenEnabled()
    {
        using var production = new CrmApiFactory { EnvironmentName = "Production" }.With("WeCom:Simulation:Enabled", "true");
        using var testing = new CrmApiFactory().With("WeCom:Simulation:Enabled", "true");
        var body = new { quote_number = "CIS-20261122-0001", action = "bogus" };

        var inProduction = await production.CreateClientAs("admin").PostJsonAsync("/api/v1/wecom-callback/simulate-approval", body);
        var inTesting = await testing.CreateClientAs("admin").PostJsonAsync("/api/v1/wecom-callback/simulate-approval", body);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inProduction.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(inTesting.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "mapped outside Production: the bad action is a 400");
        }
    }

    /// <summary>The tables in the file, if the service created it at all.</summary>
    private static List<string> MigratedTables(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>A refused configuration is a fault an operator must fix: the host may log it at Error, on purpose here.</summary>
    private static Exception? CatchStartupFailure(CrmApiFactory factory)
    {
        using var expected = LogCapture.Instance.ExpectErrors("Microsoft.Extensions.Hosting.Internal.Host", "Hosting failed to start");
        return Assert.Catch(() => factory.CreateClient());
    }
}
