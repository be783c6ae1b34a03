using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;

/// <summary>
/// The stored callbacks a batch holds under its lease, read again in the batch's transaction in one query. Each
/// message's outcome is recorded on that tracked row (read again when a fault let it go); after each event, what its
/// save wrote leaves the change tracker, so that the next save does not scan the whole batch.
/// </summary>
internal sealed class LeasedCallbacks(IWorkQueue<InboxMessage> queue, IAppDbContext db, string owner, ILogger logger)
{
    private Dictionary<Guid, InboxMessage> _read = [];

    /// <summary>Reads the messages again (tracked); those whose lease was lost meanwhile are left out.</summary>
    public async Task ReadAsync(IEnumerable<Guid> ids, CancellationToken ct) =>
        _read = (await queue.FindLeasedAsync([.. ids], owner, ct)).ToDictionary(m => m.Id);

    /// <summary>Unless <paramref name="lookup"/> holds what they need (it let go after a fault), reads these messages and what their events need.</summary>
    public async Task ReadUnlessLoadedAsync(IReadOnlyList<ClaimedCallback> rest, ApprovalLookup lookup, CancellationToken ct)
    {
        if (!lookup.IsLoaded)
        {
            await ReadAsync(rest.Select(c => c.Id), ct);
            await lookup.LoadAsync([.. rest.Select(c => c.Event).OfType<ApprovalEvent>()], ct);
        }
    }

    /// <summary>The message as the batch read it, or read again if a fault let it go; null once another processor holds it.</summary>
    public async Task<InboxMessage?> FindAsync(Guid id, CancellationToken ct) =>
        _read.TryGetValue(id, out var message) && db.ChangeTracker.Context.Entry(message).State != EntityState.Detached
            ? message
            : await queue.FindLeasedAsync(id, owner, ct);

    /// <summary>Records an outcome on the message (saved with the caller's next save), ending the lease.</summary>
    public void Settle(InboxMessage message, Action<InboxMessage> record)
    {
        record(message);
        queue.Complete(message);
    }

    /// <summary>Records an outcome on the message and saves it, if this batch still holds it; returns its attempts.</summary>
    public async Task<int?> RecordAsync(Guid id, Action<InboxMessage> record, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } message)
        {
            // The lease ran out and another processor has the message; what it applied is recorded once anyway.
            logger.LogWarning("The lease on inbox message {InboxId} ran out before its outcome was recorded", id);
            return null;
        }

        Settle(message, record);
        await db.SaveChangesAsync(ct);
        return message.Attempts;
    }

    /// <summary>
    /// After an event: everything saved leaves the change tracker, bar the messages of the events to come (the
    /// lookup attaches a quote again when an event needs it).
    /// </summary>
    public void Untrack(IEnumerable<Guid> later)
    {
        var keep = later.ToHashSet();
        var tracker = db.ChangeTracker;
        tracker.AutoDetectChangesEnabled = false; // saved, so unchanged: no scan needed to tell
        try
        {
            foreach (var entry in tracker.Entries().Where(e => e.State == EntityState.Unchanged && !(e.Entity is InboxMessage m && keep.Contains(m.Id))).ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = true;
        }
    }
}
