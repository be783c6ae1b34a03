using System.Runtime.CompilerServices;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>
/// Every save that moves a quote's status or approval status adds a <see cref="QuoteStatusEvent"/> in the same
/// transaction, whichever use case made the change (the source is that of the timeline row saved with it); once the
/// save has committed, this instance's live feed is woken through <see cref="Signal"/>.
/// </summary>
internal sealed class QuoteStatusEventsInterceptor : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _recorded = [];

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

        context.ChangeTracker.DetectChanges();
        var changed = context.ChangeTracker.Entries<Quote>()
            .Where(e => e.State == EntityState.Modified
                        && (!Equals(e.Property(q => q.Status).OriginalValue, e.Entity.Status)
                            || !Equals(e.Property(q => q.ApprovalStatus).OriginalValue, e.Entity.ApprovalStatus)))
            .Select(e => e.Entity)
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        var timeline = context.ChangeTracker.Entries<TimelineEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        foreach (var quote in changed)
        {
            var source = timeline.FirstOrDefault(t => t.QuoteId == quote.Id && t.Outcome == TimelineOutcome.Applied)?.Source;
            context.Set<QuoteStatusEvent>().Add(QuoteStatusEvent.Of(quote, source, quote.UpdatedAt));
        }

        _recorded.AddOrUpdate(context, this);
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && _recorded.Remove(context))
        {
            Signal.Notify();
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
