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
    public async Task<WorkBatch<T>> ClaimAsync(
        Expression<Func<T, bool>> ready, Expression<Func<T, DateTimeOffset>> order, int max, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        var owner = Guid.NewGuid().ToString("N");
        var due = db.Set<T>().Where(ready).Where(e => EF.Property<DateTimeOffset?>(e, Lease.Until) == null
                                                      || EF.Property<DateTimeOffset?>(e, Lease.Until) < now);
        var batch = due.OrderBy(order).Take(max).Select(e => EF.Property<Guid>(e, Lease.Id));

        // One statement: the outer filter repeats the due test, so a row another instance claimed meanwhile is not
        // taken twice. The new version makes any save by an earlier holder of the row fail.
        await due.Where(e => batch.Contains(EF.Property<Guid>(e, Lease.Id)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => EF.Property<DateTimeOffset?>(e, Lease.Until), until)
                .SetProperty(e => EF.Property<string?>(e, Lease.Owner), owner)
                .SetProperty(e => EF.Property<Guid>(e, Lease.Version), Guid.NewGuid()), ct);
        // The rows just claimed are still ready (no one else may change them now): the test lets the read use the
        // queue's index rather than scan the whole table for the owner (processed rows stay in it).
        var claimed = await db.Set<T>().Where(ready).Where(e => EF.Property<string?>(e, Lease.Owner) == owner).OrderBy(order).ToListAsync(ct);
        return new WorkBatch<T>(owner, until, claimed);
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
