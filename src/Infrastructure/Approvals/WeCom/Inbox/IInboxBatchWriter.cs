using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

/// <summary>What <see cref="InboxWriter"/> writes each batch with, on one connection it keeps between batches.</summary>
internal interface IInboxBatchWriter : IAsyncDisposable
{
    /// <summary>Writes the batch in one transaction and answers each of its callbacks after the commit; true when at least one was stored.</summary>
    Task<bool> WriteAsync(IReadOnlyList<PendingCallback> batch, CancellationToken ct);
}

/// <summary>Opens the batch writer <see cref="InboxWriter"/> uses (again after a failed batch): a DI seam for tests.</summary>
internal delegate Task<IInboxBatchWriter> InboxBatchWriterOpener(IServiceScopeFactory scopes, CancellationToken ct);

internal static class InboxBatchWriters
{
    /// <summary>The one each provider gets (ADR-30): on SQLite <see cref="SqliteInboxBatchWriter"/>, elsewhere <see cref="InboxBatchWriter"/>.</summary>
    public static Task<IInboxBatchWriter> ForProviderAsync(IServiceScopeFactory scopes, CancellationToken ct) => OpenAsync(scopes, sqliteOwn: true, ct);

    /// <summary>The provider-neutral EF writer on any provider: SQL Server's, and its SQLite twin in tests.</summary>
    public static Task<IInboxBatchWriter> NeutralAsync(IServiceScopeFactory scopes, CancellationToken ct) => OpenAsync(scopes, sqliteOwn: false, ct);

    private static async Task<IInboxBatchWriter> OpenAsync(IServiceScopeFactory scopes, bool sqliteOwn, CancellationToken ct)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.OpenConnectionAsync(ct); // kept open between batches, with the service's pragmas (SqliteConnectionPragmas)
            if (db.Database.GetDbConnection() is not SqliteConnection sqlite)
            {
                return new InboxBatchWriter(scope, db);
            }

            // Already SQLite's default; said here because acknowledgements depend on it: a commit is on disk (WAL + fsync)
            // before it returns, so an acknowledged callback survives a kill -9 and a power cut.
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = FULL;", ct);
            return sqliteOwn ? new SqliteInboxBatchWriter(scope, db, sqlite) : new InboxBatchWriter(scope, db);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }
}
