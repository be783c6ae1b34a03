using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Application.Common.Persistence;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

/// <summary>
/// SQLite's inbox writer (ADR-30): one prepared <c>INSERT … ON CONFLICT (event_key) DO NOTHING</c>, run once per
/// callback of the batch inside one <c>BEGIN IMMEDIATE</c> transaction, then one commit (WAL + fsync). A row changed is
/// Stored; none changed is a Duplicate (stored before, or a twin earlier in the same batch), so there is no read of
/// stored keys and no unique violation to fall back from. Plain ADO.NET on the connection EF opened (its pragmas
/// set), because on SQLite the writer's own time is what every waiting acknowledgement pays: EF's read and
/// command pipeline doubled it. The transaction is still the execution strategy's (ADR-26), which retries a transient
/// failure of the whole batch; any other failure rolls the batch back and fails its requests.
/// </summary>
internal sealed class SqliteInboxBatchWriter : IInboxBatchWriter
{
    private readonly AsyncServiceScope _scope;
    private readonly AppDbContext _db;
    private readonly InboxRows _rows;
    private readonly SqliteCommand _insert;

    internal SqliteInboxBatchWriter(AsyncServiceScope scope, AppDbContext db, SqliteConnection connection)
    {
        _scope = scope;
        _db = db;
        _rows = InboxRows.For(db);
        _insert = connection.CreateCommand();
        _insert.CommandText = _rows.SqliteInsertUnlessStored; // prepared on first use, kept with the command
    }

    public async Task<bool> WriteAsync(IReadOnlyList<PendingCallback> batch, CancellationToken ct)
    {
        // In the execution strategy's transaction (ADR-26): BEGIN IMMEDIATE on SQLite, so the write lock comes first.
        var receipts = await _db.InTransactionAsync(_ => Task.FromResult(InsertEach(batch)), ct);
        var stored = false;
        for (var i = 0; i < batch.Count; i++)
        {
            stored |= receipts[i] == CallbackReceipt.Stored;
            batch[i].Complete(receipts[i]); // after the commit: nothing is answered before it
        }

        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        await _insert.DisposeAsync();
        await _scope.DisposeAsync();
    }

    private CallbackReceipt[] InsertEach(IReadOnlyList<PendingCallback> batch)
    {
        _insert.Transaction = (SqliteTransaction)_db.Database.CurrentTransaction!.GetDbTransaction();
        var receipts = new CallbackReceipt[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            _rows.Bind(_insert, batch[i].Message);
            receipts[i] = _insert.ExecuteNonQuery() == 1 ? CallbackReceipt.Stored : CallbackReceipt.Duplicate;
        }

        return receipts;
    }
}
