using CrmIntegration.Application;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Benchmarks;

/// <summary>
/// The Application layer over a migrated SQLite file in WAL mode, registered as production registers it (AddDatabase,
/// reached through InternalsVisibleTo); each benchmark adds the ports it needs. Deletes the file when disposed.
/// </summary>
internal sealed class BenchmarkDatabase : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"crm-bench-{Guid.NewGuid():N}.db");

    public BenchmarkDatabase(Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Crm"] = $"Data Source={_file}",
            ["Database:Provider"] = "Sqlite",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddApplication();
        services.AddDatabase(configuration);
        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddSingleton<IDatabaseErrors, DatabaseErrors>();
        configure?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        Services.PrepareDatabaseAsync().GetAwaiter().GetResult(); // migrate, WAL
    }

    public ServiceProvider Services { get; }

    public void Dispose()
    {
        Services.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }
}
