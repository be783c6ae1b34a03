using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Persistence;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Common;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;

/// <summary>
/// Applies stored callbacks, one claimed batch per command (the worker sends it until it answers 0). The batch is one
/// transaction with a savepoint per event (each event's one save): each event, its timeline row, its status change and
/// its message's outcome stay atomic (a failed event rolls back to its savepoint alone), and the batch costs one commit.
/// The batch reads what its events need once, in a few queries (<see cref="ApprovalLookup"/>), not per event. Each
/// message ends as its <see cref="InboxMessage"/> decides: processed (with the timeline's outcome), ignored (not an
/// approval event, or values no quote of ours can carry: another app's approval), failed when unusable, or received
/// again with backoff after a fault until its attempts run out.
/// </summary>
public sealed record ProcessApprovalCallbacksCommand : IRequest<int>;

internal sealed class ProcessApprovalCallbacksCommandHandler(
    IWorkQueue<InboxMessage> queue,
    IAppDbContext db,
    IWeComMessageReader reader,
    IEnumerable<IValidator<HandleApprovalCallbackCommand>> validators,
    ApprovalEventApplier applier,
    ApprovalLookup lookup,
    IDatabaseWriteGate writes,
    TimeProvider clock,
    IOptions<WeComOptions> options,
    ILogger<ProcessApprovalCallbacksCommandHandler> logger) : IRequestHandler<ProcessApprovalCallbacksCommand, int>
{
    // Small claims with a short lease: a processor killed mid-batch holds up little, for little time (its
    // transaction rolls back and the batch is taken again when the lease ends).
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private const int BatchSize = 20;

    public async Task<int> Handle(ProcessApprovalCallbacksCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        WorkBatch<InboxMessage> batch;
        using (await writes.EnterWhenAcknowledgementsPauseAsync(cancellationToken)) // acknowledgements first (ADR-28)
        {
            batch = await queue.ClaimAsync(m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now, m => m.ReceivedAt,
                BatchSize, Lease, cancellationToken);
        }

        if (batch.IsEmpty)
        {
            return 0;
        }

        var claimed = batch.Items.Select(m => ClaimedCallback.Read(m, reader)).ToList();
        List<ApprovalEventResult> applied;
        using (await writes.EnterAsync(cancellationToken)) // the inbox writer's turn ends, then this batch's starts
        {
            // Run again whole after a transient failure (ADR-26); what was applied commits, shutdown or not.
            applied = await db.InTransactionAsync(
                _ => ApplyAsync(claimed, new LeasedCallbacks(queue, db, batch.Owner, logger), cancellationToken), CancellationToken.None);
        }

        applied.ForEach(result => applier.Count(TimelineSource.Callback, result)); // once committed: a batch run again counts once
        return claimed.Count;
    }

    /// <summary>
    /// The transaction's body: from scratch (messages read again under the lease), so it may run again after a rollback.
    /// A shutdown stops it between two events, never inside one's save (whose savepoint would be rolled back with a
    /// cancelled token); the rest of the batch is taken again when its lease ends.
    /// </summary>
    private async Task<List<ApprovalEventResult>> ApplyAsync(List<ClaimedCallback> claimed, LeasedCallbacks messages, CancellationToken stopping)
    {
        var ct = CancellationToken.None;
        db.ChangeTracker.Clear();
        lookup.Forget();
        var applied = new List<ApprovalEventResult>(claimed.Count);
        for (var i = 0; i < claimed.Count && !stopping.IsCancellationRequested; i++)
        {
            var rest = claimed[i..];
            if (!lookup.IsLoaded) // at the start, and again for the rest after a fault let the tracked entities go
            {
                await messages.ReadAsync(rest.Select(c => c.Id), ct);
                await lookup.LoadAsync([.. rest.Select(c => c.Event).OfType<ApprovalEvent>()], ct);
            }

            if (await ProcessAsync(claimed[i], messages, ct) is { } result)
            {
                applied.Add(result);
            }

            messages.Untrack(rest.Skip(1).Select(c => c.Id));
        }

        return applied;
    }

    private async Task<ApprovalEventResult?> ProcessAsync(ClaimedCallback item, LeasedCallbacks messages, CancellationToken ct)
    {
        var (id, approval, unreadable) = item;
        try
        {
            unreadable?.Throw();
            var invalid = item.Invalid(validators); // values no quote of ours can carry: another app's approval
            if (approval is null || invalid is not null)
            {
                await messages.RecordAsync(id, m => m.RecordIgnored(invalid, clock.GetUtcNow()), ct);
                return null;
            }

            var result = await applier.ApplyUncountedAsync(approval, TimelineSource.Callback, ct,
                async (outcome, token) => messages.Settle(await messages.FindAsync(id, token)
                                                 ?? throw new InvalidOperationException($"The lease on inbox message {id} was lost to another processor."),
                    m => m.RecordProcessed(SnakeCaseEnum.Name(outcome), clock.GetUtcNow())));
            if (result.Duplicate)
            {
                await messages.RecordAsync(id, m => m.RecordProcessed("duplicate", clock.GetUtcNow()), ct);
            }

            return result;
        }
        catch (WeComCryptoException e)
        {
            await messages.RecordAsync(id, m => m.RecordRefused(Describe(e), clock.GetUtcNow()), ct); // unusable: retrying cannot help
            logger.LogWarning("WeCom inbox message {InboxId} refused: {Error}", id, Describe(e));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear(); // its save rolled back to its savepoint; what it changed in memory goes too
            lookup.Forget();
            var maxAttempts = options.Value.Callback.MaxProcessingAttempts;
            var policy = new RetryPolicy(maxAttempts, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));
            var gaveUp = false;
            var attempts = await messages.RecordAsync(id, m => gaveUp = m.RecordFailure(Describe(e), clock.GetUtcNow(), policy, Random.Shared.NextDouble()), ct);
            // A fault tried again is a warning; one that used up its attempts waits for an operator's retry.
            logger.Log(gaveUp ? LogLevel.Error : LogLevel.Warning, e, "WeCom inbox message {InboxId} failed (attempt {Attempt} of {MaxAttempts})",
                id, attempts, maxAttempts);
        }

        return null;
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
