using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file once a second, beside the writers (ADR-29): a PASSIVE
/// checkpoint takes no write lock and waits for no one, so commits go on while it runs, and no commit pays for it (the
/// service's connections have <c>wal_autocheckpoint = 0</c>, <see cref="SqliteConnectionPragmas"/>). Once a pass has
/// caught up, the next writer starts the log from its beginning again, so the file stops growing. A failing pass is a
/// Warning once (the log grows until one succeeds) and the recovery is logged.
/// </summary>
internal sealed class SqliteCheckpointer(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PassAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is in the log is durable there; SQLite checkpoints it when the last connection closes.
        }
    }

    /// <summary>One checkpoint pass; a failure is logged and left for the next pass.</summary>
    internal async Task PassAsync(CancellationToken ct)
    {
        try
        {
            var result = await CheckpointAsync(ct);
            if (_failing)
            {
                _failing = false;
                logger.LogInformation("SQLite checkpoints work again ({Checkpointed} of {Logged} log pages copied)", result.Checkpointed, result.Logged);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (!_failing)
            {
                _failing = true;
                logger.LogWarning(e, "SQLite checkpoint failed; the write-ahead log grows until one succeeds (tried again every {Interval})", Interval);
            }
        }
    }

    /// <summary>PRAGMA wal_checkpoint(PASSIVE): the pages in the log, and how many of them are now in the database file.</summary>
    internal async Task<(int Logged, int Checkpointed)> CheckpointAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? (reader.GetInt32(1), reader.GetInt32(2)) : (0, 0);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
