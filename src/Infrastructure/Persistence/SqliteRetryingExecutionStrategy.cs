using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>
/// SQLite's counterpart of SQL Server's retrying strategy (ADR-26): SQLITE_BUSY (5, also BUSY_SNAPSHOT and the other
/// extended codes) and SQLITE_LOCKED (6) are transient, so a writer still waiting for the lock past the busy timeout
/// (<see cref="SqliteConnectionPragmas"/>) runs its unit of work again instead of failing; any other error is not retried.
/// Like every retrying strategy it refuses a transaction opened outside it, as SQL Server's does.
/// </summary>
internal sealed class SqliteRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, MaxRetries, MaxDelay)
{
    // Each attempt may already have waited the busy timeout (10 s): a few attempts are plenty.
    public const int MaxRetries = 3;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    protected override bool ShouldRetryOn(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };
}
