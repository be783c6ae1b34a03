using System.Linq.Expressions;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Work;

/// <summary>
/// The only lease SQL of the service (ADR-22). Every queue table carries two shadow columns, <c>locked_until</c> and
/// <c>lock_owner</c>, and a <c>version</c> concurrency token; the entities never see the lease.
/// </summary>
internal sealed class WorkQueue<T>(AppDbContext db, TimeProvider clock) : IWorkQueue<T>
    where T : class
{
    /// <summary>Reads of due rows a claim makes when other instances keep taking all it read (then it answers empty).</summary>
    private const int MaxAttempts = 3;

    public async Task<WorkBatch<T>> ClaimAsync(
        Expression<Func<T, bool>> ready, Expression<Func<T, DateTimeOffset>> order, int max, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        var owner = Guid.NewGuid().ToString("N");
        var due = db.Set<T>().Where(ready).Where(e => EF.Property<DateTimeOffset?>(e, Lease.Until) == null
                                                      || EF.Property<DateTimeOffset?>(e, Lease.Until) < now);

        // Two short statements, each costing its batch, not the backlog (ADR-29): read the first due rows in the queue's
        // order (through its index), then lease those whose version is still the one read. A claim, a save and a release
        // each set a new version, so a row another instance claimed or settled meanwhile is not taken twice; a set-based
        // reschedule keeps the version (the sync scan's confirmation must not fail a holder's save), so a row it pushed
        // out meanwhile may be claimed once more: one read too many, nothing lost. The update finds its rows by key (a
        // re-test of the due condition there made SQLite walk the whole backlog by status). The new version makes any
        // save by an earlier holder of the row fail.
        for (var attempt = 1; ; attempt++)
        {
            var candidates = await due.OrderBy(order).Take(max)
                .Select(e => new { Id = EF.Property<Guid>(e, Lease.Id), Version = EF.Property<Guid>(e, Lease.Version) }).ToListAsync(ct);
            if (candidates.Count == 0)
            {
                return new WorkBatch<T>(owner, until, []);
            }

            var ids = candidates.Select(c => c.Id).ToList();
            var versions = candidates.Select(c => c.Version).Distinct().ToList();
            var leased = await db.Set<T>().Where(e => ids.Contains(EF.Property<Guid>(e, Lease.Id)) && versions.Contains(EF.Property<Guid>(e, Lease.Version)))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease.Until), until)
                    .SetProperty(e => EF.Property<string?>(e, Lease.Owner), owner)
                    .SetProperty(e => EF.Property<Guid>(e, Lease.Version), Guid.NewGuid()), ct);
            if (leased == 0 && attempt < MaxAttempts)
            {
                continue; // another instance took every one of them in between: the next due rows, not an empty answer
            }

            var claimed = leased == 0 ? [] : await db.Set<T>()
                .Where(e => ids.Contains(EF.Property<Guid>(e, Lease.Id)) && EF.Property<string?>(e, Lease.Owner) == owner)
                .OrderBy(order).ToListAsync(ct);
            return new WorkBatch<T>(owner, until, claimed);
        }
    }

    public Task<T?> FindLeasedAsync(Guid id, string owner, CancellationToken ct) =>
        db.Set<T>().SingleOrDefaultAsync(e => EF.Property<Guid>(e, Lease.Id) == id && EF.Property<string?>(e, Lease.Owner) == owner, ct);

    public async Task<IReadOnlyList<T>> FindLeasedAsync(IReadOnlyCollection<Guid> ids, string owner, CancellationToken ct) =>
        await db.Set<T>().Where(e => ids.Contains(EF.Property<Guid>(e, Lease.Id)) && EF.Property<string?>(e, Lease.Owner) == owner).ToListAsync(ct);

    public void Complete(T item)
    {
        var entry = db.Entry(item);
        entry.Property(Lease.Until).CurrentValue = null;
        entry.Property(Lease.Owner).CurrentValue = null;
        entry.Property(Lease.Version).CurrentValue = Guid.NewGuid(); // the save checks the version the claim set
    }

    public async Task ReleaseAsync(WorkBatch<T> batch, IReadOnlyCollection<T> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return;
        }

        var ids = items.Select(i => (Guid)db.Entry(i).Property(Lease.Id).CurrentValue!).ToList();
        foreach (var item in items)
        {
            db.Entry(item).State = EntityState.Detached; // what the database holds is what counts now
        }

        await db.Set<T>().Where(e => ids.Contains(EF.Property<Guid>(e, Lease.Id)) && EF.Property<string?>(e, Lease.Owner) == batch.Owner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease.Until), (DateTimeOffset?)null)
                .SetProperty(e => EF.Property<string?>(e, Lease.Owner), (string?)null)
                .SetProperty(e => EF.Property<Guid>(e, Lease.Version), Guid.NewGuid()), ct);
    }
}

/// <summary>The lease columns of a queue table, mapped as shadow properties.</summary>
internal static class Lease
{
    public const string Id = "Id";
    public const string Until = "LockedUntil";
    public const string Owner = "LockOwner";
    public const string Version = "Version";
    public const int OwnerMaxLength = 64;

    /// <summary>Maps the lease columns on a queue table (the entity has an <c>Id</c> and a <c>Version</c>).</summary>
    public static EntityTypeBuilder<T> HasWorkLease<T>(this EntityTypeBuilder<T> b)
        where T : class
    {
        b.Property<DateTimeOffset?>(Until);
        b.Property<string?>(Owner).HasMaxLength(OwnerMaxLength);
        b.Property<Guid>(Version).IsConcurrencyToken();
        return b;
    }
}
