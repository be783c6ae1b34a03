using System.Data.Common;
using System.Runtime.CompilerServices;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>
/// Every save that moves a quote's status or approval status adds a <see cref="QuoteStatusEvent"/> in the same
/// transaction, whichever use case made the change (the source is that of the timeline row saved with it); once the
/// save has committed, this instance's live feed is woken through <see cref="Signal"/>: at once for a save that is its
/// own transaction, when the caller's transaction commits for a save inside one (a batch), never if it rolls back.
/// </summary>
internal sealed class QuoteStatusEventsInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _recorded = [];
    private readonly ConditionalWeakTable<DbContext, object> _uncommitted = [];

    /// <summary>Woken after a committed save that recorded status changes (the feed also polls, for other instances).</summary>
    public WorkSignal Signal { get; } = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => RolledBack(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        RolledBack(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Record(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Read as the entries stand, without a DetectChanges of its own (the save runs one next, and each is a scan of
        // everything tracked): a quote's status is compared with its snapshot, whether or not the change was detected.
        var tracker = context.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var changed = tracker.Entries<Quote>()
                .Where(e => e.State is EntityState.Modified or EntityState.Unchanged
                            && (e.Property<QuoteStatus>(nameof(Quote.Status)).OriginalValue != e.Entity.Status
                                || e.Property<ApprovalStatus?>(nameof(Quote.ApprovalStatus)).OriginalValue != e.Entity.ApprovalStatus))
                .Select(e => e.Entity)
                .ToList();
            if (changed.Count == 0)
            {
                return;
            }

            var timeline = tracker.Entries<TimelineEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            foreach (var quote in changed)
            {
                var source = timeline.FirstOrDefault(t => t.QuoteId == quote.Id && t.Outcome == TimelineOutcome.Applied)?.Source;
                context.Set<QuoteStatusEvent>().Add(QuoteStatusEvent.Of(quote, source, quote.UpdatedAt));
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }

        _recorded.AddOrUpdate(context, this);
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_recorded.Remove(context))
        {
            return;
        }

        if (context.Database.CurrentTransaction is null)
        {
            Signal.Notify(); // the save's own transaction has committed
        }
        else
        {
            _uncommitted.AddOrUpdate(context, this); // visible to the feed only once the caller commits
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _uncommitted.Remove(context))
        {
            Signal.Notify();
        }
    }

    private void RolledBack(DbContext? context)
    {
        if (context is not null)
        {
            _uncommitted.Remove(context);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _recorded.Remove(context);
        }
    }
}
