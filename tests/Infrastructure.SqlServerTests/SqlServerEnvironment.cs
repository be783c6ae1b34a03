using DotNet.Testcontainers.Builders;
using Testcontainers.MsSql;

namespace CrmIntegration.Infrastructure.SqlServerTests;

/// <summary>One SQL Server container for the run; without a Docker engine every test here is skipped, never passed.</summary>
[SetUpFixture]
public sealed class SqlServerEnvironment
{
    private const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";

    public static MsSqlContainer? Sql { get; private set; }

    public static string? Unavailable { get; private set; }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        try
        {
            Sql = new MsSqlBuilder(Image).Build();
            await Sql.StartAsync();
        }
        catch (DockerUnavailableException e)
        {
            Sql = null;
            Unavailable = $"No Docker engine: SQL Server tests skipped. {e.Message}";
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Sql is not null)
        {
            await Sql.DisposeAsync();
        }
    }

    /// <summary>Skips the calling test with the reason when SQL Server could not be started.</summary>
    public static string ConnectionString(string database)
    {
        if (Sql is null)
        {
            Assert.Ignore(Unavailable ?? "SQL Server did not start.");
        }

        return new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(Sql!.GetConnectionString()) { InitialCatalog = database }
            .ConnectionString;
    }
}
