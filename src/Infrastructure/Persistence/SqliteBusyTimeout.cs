using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>
/// Lets SQLite itself wait for the write lock (its busy handler sleeps 1-100 ms at a time) instead of
/// Microsoft.Data.Sqlite's managed retry, which sleeps 150 ms per SQLITE_BUSY: under concurrent callbacks
/// that retry alone put p99 acknowledgements near a second.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public const int Milliseconds = 10_000;

    private const string Pragma = "PRAGMA busy_timeout = 10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
