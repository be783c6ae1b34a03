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
/// its message's outcome stay atomic (a failed event rolls back to its savepoint alone), and the batch costs one commit
/// (more when acknowledgements wait for the writer: ADR-29). It reads what its events need in a few queries. Each
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
    // Small claims, short lease: a processor killed mid-batch holds up little, for little time (taken again at the lease's end).
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
        var messages = new LeasedCallbacks(queue, db, batch.Owner, logger);
        for (var done = 0; done < claimed.Count && !cancellationToken.IsCancellationRequested;)
        {
            var from = done; // the first slice goes next (FIFO); later ones let waiting acknowledgements go first (ADR-28, ADR-29)
            (List<ApprovalEventResult> Applied, int End) slice;
            using (await (from == 0 ? writes.EnterAsync(cancellationToken) : writes.EnterWhenAcknowledgementsPauseAsync(cancellationToken)))
            {
                // Run again whole after a transient failure (ADR-26); what was applied commits, shutdown or not.
                slice = await db.InTransactionAsync(_ => ApplyAsync(claimed, from, messages, cancellationToken), CancellationToken.None);
            }

            slice.Applied.ForEach(result => applier.Count(TimelineSource.Callback, result)); // once committed: counted once
            done = slice.End;
        }

        return claimed.Count;
    }

    /// <summary>
    /// A transaction's body from <paramref name="from"/>, from scratch (it may run again after a rollback). It ends after the
    /// event in hand when an acknowledgement waits (the rest: next transaction) or the service stops (the rest: lease's end).
    /// </summary>
    private async Task<(List<ApprovalEventResult>, int)> ApplyAsync(
        List<ClaimedCallback> claimed, int from, LeasedCallbacks messages, CancellationToken stopping)
    {
        var ct = CancellationToken.None;
        db.ChangeTracker.Clear();
        lookup.Forget();
        var applied = new List<ApprovalEventResult>(claimed.Count - from);
        var i = from;
        for (; i < claimed.Count && !stopping.IsCancellationRequested && (i == from || !writes.AcknowledgementsWaiting); i++)
        {
            var rest = claimed[i..];
            await messages.ReadUnlessLoadedAsync(rest, lookup, ct); // at the start, and for the rest after a fault

            if (await ProcessAsync(claimed[i], messages, ct) is { } result)
            {
                applied.Add(result);
            }

            messages.Untrack(rest.Skip(1).Select(c => c.Id));
        }

        return (applied, i);
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
            await messages.RecordAsync(id, m => m.RecordRefused(ClaimedCallback.Describe(e), clock.GetUtcNow()), ct); // unusable: retrying cannot help
            logger.LogWarning("WeCom inbox message {InboxId} refused: {Error}", id, ClaimedCallback.Describe(e));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear(); // its save rolled back to its savepoint; what it changed in memory goes too
            lookup.Forget();
            var maxAttempts = options.Value.Callback.MaxProcessingAttempts;
            var policy = new RetryPolicy(maxAttempts, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));
            var gaveUp = false;
            var attempts = await messages.RecordAsync(id, m => gaveUp = m.RecordFailure(ClaimedCallback.Describe(e), clock.GetUtcNow(), policy, Random.Shared.NextDouble()), ct);
            // A fault tried again is a warning; one that used up its attempts waits for an operator's retry.
            logger.Log(gaveUp ? LogLevel.Error : LogLevel.Warning, e, "WeCom inbox message {InboxId} failed (attempt {Attempt} of {MaxAttempts})",
                id, attempts, maxAttempts);
        }

        return null;
    }
}
