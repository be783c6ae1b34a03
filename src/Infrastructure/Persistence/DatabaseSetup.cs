using CrmIntegration.Application.Common.Interfaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Persistence;

public static class DatabaseSetup
{
    // SQL Server's transient errors (deadlock victim 1205, lost connections, failover, throttling) are retried by its own
    // strategy; the whole unit of work runs again (ADR-26). Up to 5 retries, at most 5 s apart: about 15 s in all.
    internal const int SqlServerMaxRetries = 5;
    internal static readonly TimeSpan SqlServerMaxRetryDelay = TimeSpan.FromSeconds(5);

    internal static void SqliteOptions(SqliteDbContextOptionsBuilder o) =>
        o.MigrationsAssembly(typeof(DatabaseSetup).Assembly.FullName)
            .MigrationsHistoryTable("__ef_migrations_history")
            .ExecutionStrategy(d => new SqliteRetryingExecutionStrategy(d));

    internal static void SqlServerOptions(SqlServerDbContextOptionsBuilder o) =>
        o.MigrationsAssembly(typeof(DatabaseSetup).Assembly.FullName)
            .MigrationsHistoryTable("__ef_migrations_history")
            .EnableRetryOnFailure(SqlServerMaxRetries, SqlServerMaxRetryDelay, errorNumbersToAdd: null);

    internal static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);

        services.AddSingleton<QuoteStatusEventsInterceptor>();
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = PrepareSqliteFile(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString);
                services.AddDbContext<SqliteAppDbContext>((sp, o) => HandledFailuresAtDebug(o.UseSqlite(sqlite, SqliteOptions)
                    .AddInterceptors(new SqliteConnectionPragmas(), sp.GetRequiredService<QuoteStatusEventsInterceptor>())));
                services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
                services.AddSingleton<IDatabaseWriteGate, SqliteWriteGate>();
                services.AddHostedService<SqliteCheckpointer>();
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Database:Provider is SqlServer but ConnectionStrings:Crm (ConnectionStrings__Crm) is not set.");
                }

                services.AddDbContext<SqlServerAppDbContext>((sp, o) => HandledFailuresAtDebug(o.UseSqlServer(connectionString, SqlServerOptions)
                    .AddInterceptors(sp.GetRequiredService<QuoteStatusEventsInterceptor>())));
                services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqlServerAppDbContext>());
                services.AddSingleton<IDatabaseWriteGate, NoWriteGate>();
                break;
            default:
                throw new InvalidOperationException($"Database:Provider must be Sqlite or SqlServer, not '{options.Provider}'.");
        }

        return services;
    }

    /// <summary>
    /// EF Core logs every failed command, SaveChanges, query, commit and connection at Error before the caller sees
    /// the exception, so a unique violation the code handles on purpose (a redelivered callback, a taken WeCom
    /// userid, a quote-number race) and a transient failure the execution strategy retries (ADR-26) read as faults.
    /// Those events are Debug and a retry is a Warning; a failure nobody handles is logged at Error, with the
    /// database's error, by whoever catches it: the API's exception handler, the use-case pipeline
    /// (UnhandledExceptionBehaviour) or the background worker (ADR-14).
    /// </summary>
    internal static DbContextOptionsBuilder HandledFailuresAtDebug(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (CoreEventId.ExecutionStrategyRetrying, LogLevel.Warning)));

    /// <summary>Creates the SQLite file's folder so a fresh clone runs with no setup.</summary>
    private static string PrepareSqliteFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode is not SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource)
            && builder.DataSource != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Applies migrations: always on SQLite; on SQL Server only with Database:MigrateOnStartup (EF takes an
    /// app lock there, so several instances starting at once migrate once).
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup));

        if (options.Provider == DatabaseProvider.SqlServer && !options.MigrateOnStartup)
        {
            logger.LogInformation("Database: SQL Server; migrations are not applied at start-up (Database:MigrateOnStartup is off)");
            return;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers run beside the single writer; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        logger.LogInformation("Database: {Provider}, {Count} migration(s) applied", options.Provider, pending.Count);
    }
}
