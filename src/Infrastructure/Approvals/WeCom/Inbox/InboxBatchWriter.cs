using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Application.Common.Persistence;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

/// <summary>
/// The provider-neutral writer, SQL Server's (and its SQLite twin in tests; SQLite's own is
/// <see cref="SqliteInboxBatchWriter"/>). Writes one batch of callbacks in one transaction on a context (and connection) the writer keeps between batches:
/// twins within the batch are written once, keys stored before are read first (inside the transaction) and not
/// written, the rest go in one multi-row INSERT (<see cref="InboxRows"/>), then one commit. If the unique index on
/// event_key still refuses the batch (another instance stored a key meanwhile; SQL Server), the batch is rolled back
/// and written row by row, each refusal answered Duplicate. Nothing is answered before its commit.
/// </summary>
internal sealed class InboxBatchWriter : IInboxBatchWriter
{
    private readonly AsyncServiceScope _scope;
    private readonly AppDbContext _db;
    private readonly InboxRows _rows;

    internal InboxBatchWriter(AsyncServiceScope scope, AppDbContext db)
    {
        _scope = scope;
        _db = db;
        _rows = InboxRows.For(db);
    }

    /// <summary>Writes the batch and answers each of its callbacks; true when at least one was stored.</summary>
    public async Task<bool> WriteAsync(IReadOnlyList<PendingCallback> batch, CancellationToken ct)
    {
        // The first of each event key is written; its twins in this batch share its fate.
        var byKey = new Dictionary<string, List<PendingCallback>>(batch.Count, StringComparer.Ordinal);
        foreach (var pending in batch)
        {
            if (byKey.TryGetValue(pending.Message.EventKey, out var twins))
            {
                twins.Add(pending);
            }
            else
            {
                byKey[pending.Message.EventKey] = [pending];
            }
        }

        HashSet<string> storedBefore;
        try
        {
            storedBefore = await _db.InTransactionAsync(token => WriteInOneTransactionAsync(byKey, token), ct);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            return await WriteRowByRowAsync(byKey, ct);
        }

        var stored = false;
        foreach (var (key, group) in byKey)
        {
            var first = !storedBefore.Contains(key);
            stored |= first;
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Complete(first && i == 0 ? CallbackReceipt.Stored : CallbackReceipt.Duplicate);
            }
        }

        return stored;
    }

    public async ValueTask DisposeAsync() => await _scope.DisposeAsync();

    // In the execution strategy's transaction (ADR-26): on SQLite BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), so
    // the read below already holds the write lock.
    private async Task<HashSet<string>> WriteInOneTransactionAsync(Dictionary<string, List<PendingCallback>> byKey, CancellationToken ct)
    {
        var keys = byKey.Keys.ToList();
        var storedBefore = (await _db.Inbox.AsNoTracking().Where(m => keys.Contains(m.EventKey)).Select(m => m.EventKey).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var fresh = byKey.Where(g => !storedBefore.Contains(g.Key)).Select(g => g.Value[0].Message).ToList();
        if (fresh.Count > 0)
        {
            await _rows.InsertAsync(_db, fresh, ct);
        }

        return storedBefore;
    }

    /// <summary>Each key in its own statement (its own commit): a unique violation is that key's Duplicate, another error fails only that key.</summary>
    private async Task<bool> WriteRowByRowAsync(Dictionary<string, List<PendingCallback>> byKey, CancellationToken ct)
    {
        var stored = false;
        foreach (var group in byKey.Values)
        {
            CallbackReceipt receipt;
            try
            {
                await _db.Database.CreateExecutionStrategy().ExecuteAsync(
                    group[0].Message, (_, message, token) => InsertOneAsync(message, token), null, ct);
                receipt = CallbackReceipt.Stored;
                stored = true;
            }
            catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
            {
                receipt = CallbackReceipt.Duplicate;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                foreach (var pending in group)
                {
                    pending.Fail(new InboxWriteException("The callback could not be stored.", e));
                }

                continue;
            }

            for (var i = 0; i < group.Count; i++)
            {
                group[i].Complete(i == 0 ? receipt : CallbackReceipt.Duplicate);
            }
        }

        return stored;
    }

    private async Task<bool> InsertOneAsync(InboxMessage message, CancellationToken ct)
    {
        await _rows.InsertAsync(_db, [message], ct);
        return true;
    }
}
