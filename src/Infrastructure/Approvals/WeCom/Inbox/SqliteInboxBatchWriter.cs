using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

/// <summary>
/// SQLite's inbox writer (ADR-30): one prepared <c>INSERT … ON CONFLICT (event_key) DO NOTHING</c>, run once per
/// callback of the batch inside one <c>BEGIN IMMEDIATE</c> transaction, then one commit (WAL + fsync). A row changed is
/// Stored; none changed is a Duplicate (stored before, or a twin earlier in the same batch), so there is no read of
/// stored keys and no unique violation to fall back from. Plain ADO.NET on the connection EF opened (its pragmas
/// set), because on SQLite the writer's own time is what every waiting acknowledgement pays: EF's read and
/// command pipeline doubled it. The execution strategy still retries a transient failure of the whole batch (ADR-26);
/// any other failure rolls the batch back and fails its requests.
/// </summary>
internal sealed class SqliteInboxBatchWriter : IInboxBatchWriter
{
    private readonly AsyncServiceScope _scope;
    private readonly AppDbContext _db;
    private readonly SqliteConnection _connection;
    private readonly InboxRows _rows;
    private readonly SqliteCommand _insert;

    internal SqliteInboxBatchWriter(AsyncServiceScope scope, AppDbContext db, SqliteConnection connection)
    {
        _scope = scope;
        _db = db;
        _connection = connection;
        _rows = InboxRows.For(db);
        _insert = connection.CreateCommand();
        _insert.CommandText = _rows.SqliteInsertUnlessStored; // prepared on first use, kept with the command
    }

    public async Task<bool> WriteAsync(IReadOnlyList<PendingCallback> batch, CancellationToken ct)
    {
        var receipts = await _db.Database.CreateExecutionStrategy().ExecuteAsync(
            batch, (_, callbacks, token) => Task.FromResult(WriteInOneTransaction(callbacks, token)), null, ct);
        var stored = false;
        for (var i = 0; i < batch.Count; i++)
        {
            stored |= receipts[i] == CallbackReceipt.Stored;
            batch[i].Complete(receipts[i]);
        }

        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        await _insert.DisposeAsync();
        await _scope.DisposeAsync();
    }

    private CallbackReceipt[] WriteInOneTransaction(IReadOnlyList<PendingCallback> batch, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var receipts = new CallbackReceipt[batch.Count];
        using var transaction = _connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock first
        _insert.Transaction = transaction;
        for (var i = 0; i < batch.Count; i++)
        {
            _rows.Bind(_insert, batch[i].Message);
            receipts[i] = _insert.ExecuteNonQuery() == 1 ? CallbackReceipt.Stored : CallbackReceipt.Duplicate;
        }

        transaction.Commit(); // nothing is answered before this returns
        return receipts;
    }
}
