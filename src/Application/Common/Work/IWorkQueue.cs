using System.Linq.Expressions;

namespace CrmIntegration.Application.Common.Work;

/// <summary>
/// The one leased work mechanism (ADR-22) over a typed table (callback inbox, notification outbox, approval sync
/// schedule). A claim is one atomic update that leases up to <c>max</c> due rows to this caller for <c>lease</c>, safe
/// with several instances on SQLite and SQL Server; the rows come back tracked in the caller's unit of work. The caller
/// changes them through their own methods, calls <see cref="Complete"/> and saves: the save is refused (a concurrency
/// conflict) when the lease ran out and another worker claimed the row meanwhile, since every claim replaces the row's
/// version. Rows the caller did not reach go back with <see cref="ReleaseAsync"/>.
/// </summary>
public interface IWorkQueue<T>
    where T : class
{
    /// <param name="ready">Which rows are due (status and time); rows leased to someone else are left out by the queue.</param>
    /// <param name="order">Oldest first: the order rows are claimed in.</param>
    Task<WorkBatch<T>> ClaimAsync(
        Expression<Func<T, bool>> ready, Expression<Func<T, DateTimeOffset>> order, int max, TimeSpan lease, CancellationToken ct);

    /// <summary>
    /// A claimed row read again (tracked) in another unit of work, so its outcome commits with other changes there;
    /// null when the lease was lost to another worker meanwhile.
    /// </summary>
    Task<T?> FindLeasedAsync(Guid id, string owner, CancellationToken ct);

    /// <summary>Claimed rows read again (tracked) in one query, leaving out those whose lease was lost meanwhile.</summary>
    Task<IReadOnlyList<T>> FindLeasedAsync(IReadOnlyCollection<Guid> ids, string owner, CancellationToken ct);

    /// <summary>Ends the lease of a claimed row with the caller's next save.</summary>
    void Complete(T item);

    /// <summary>Hands back claimed rows the caller did not reach, untouched (only while they are still this batch's).</summary>
    Task ReleaseAsync(WorkBatch<T> batch, IReadOnlyCollection<T> items, CancellationToken ct);
}

/// <summary>What one claim took: <see cref="Owner"/> holds the rows until <see cref="LeaseUntil"/>.</summary>
public sealed record WorkBatch<T>(string Owner, DateTimeOffset LeaseUntil, IReadOnlyList<T> Items)
{
    public bool IsEmpty => Items.Count == 0;
}
