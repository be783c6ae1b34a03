using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>
/// What every connection of the service sets when it opens:
/// <list type="bullet">
/// <item><c>busy_timeout</c>: SQLite itself waits for the write lock (its busy handler sleeps 1-100 ms at a time) instead
/// of Microsoft.Data.Sqlite's managed retry, which sleeps 150 ms per SQLITE_BUSY: under concurrent callbacks that retry
/// alone put p99 acknowledgements near a second.</item>
/// <item><c>wal_autocheckpoint = 0</c>: no commit copies the WAL back into the database file (ADR-29). By default the
/// commit that crosses 1,000 WAL pages does, inside its own latency (tens to hundreds of ms with its fsyncs, every few
/// seconds under load): an acknowledgement or a processing batch holding the writer stalled on it.
/// <see cref="SqliteCheckpointer"/> checkpoints in the background instead.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    public const int Milliseconds = 10_000;

    private static readonly string Pragmas = $"PRAGMA busy_timeout = {Milliseconds}; PRAGMA wal_autocheckpoint = 0;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
