using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Persistence;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValidationException = CrmIntegration.Application.Common.Exceptions.ValidationException;

namespace CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;

/// <summary>
/// Applies stored callbacks, one claimed batch per command (the worker sends it until it answers 0). The batch is one
/// transaction with a savepoint per event: each event, its timeline row, its status change and its message's outcome
/// stay atomic (a failed event rolls back to its savepoint alone), and the batch costs one commit. Each message ends as
/// its <see cref="InboxMessage"/> decides: processed (with the timeline's outcome), ignored (not an approval event, or
/// values no quote of ours can carry: another app's approval), failed when unusable, or received again with backoff
/// after a fault until its attempts run out.
/// </summary>
public sealed record ProcessApprovalCallbacksCommand : IRequest<int>;

internal sealed class ProcessApprovalCallbacksCommandHandler(
    IWorkQueue<InboxMessage> queue,
    IAppDbContext db,
    IWeComMessageReader reader,
    IMediator mediator,
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
        var batch = await queue.ClaimAsync(m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now, m => m.ReceivedAt,
            BatchSize, Lease, cancellationToken);
        if (batch.IsEmpty)
        {
            return 0;
        }

        var claimed = batch.Items.Select(m => (m.Id, m.Payload, m.ReceivedAt)).ToList();
        // Each event reads its message again, under the lease, in the batch's transaction: run again whole after a
        // transient failure (ADR-26), or after a commit of unknown outcome (what it applied is no longer leased to us).
        await db.InTransactionAsync(async ct =>
        {
            foreach (var (id, payload, receivedAt) in claimed)
            {
                await ProcessAsync(id, payload, receivedAt, batch.Owner, ct);
                db.ChangeTracker.Clear();
            }
        }, cancellationToken);
        return claimed.Count;
    }

    private async Task ProcessAsync(Guid id, string payload, DateTimeOffset receivedAt, string owner, CancellationToken ct)
    {
        string? ended = null;
        try
        {
            var approval = reader.Read(payload).Approval;
            if (approval is null)
            {
                await RecordAsync(id, owner, m => m.RecordIgnored(null, clock.GetUtcNow()), ct);
                return;
            }

            // Applied in this scope, so in this transaction; the message's outcome is saved with the event.
            var result = await mediator.Send(new HandleApprovalCallbackCommand(approval with { ReceivedAt = receivedAt }, TimelineSource.Callback,
                new InboxLease(id, owner)), ct);
            if (result.Duplicate)
            {
                await RecordAsync(id, owner, m => m.RecordProcessed("duplicate", clock.GetUtcNow()), ct);
            }

            return;
        }
        catch (ValidationException e)
        {
            ended = Describe(e); // values no quote of ours can carry: not ours
            db.ChangeTracker.Clear();
            await RecordAsync(id, owner, m => m.RecordIgnored(ended, clock.GetUtcNow()), ct);
        }
        catch (WeComCryptoException e)
        {
            db.ChangeTracker.Clear(); // the message itself is unusable: retrying cannot help
            await RecordAsync(id, owner, m => m.RecordRefused(Describe(e), clock.GetUtcNow()), ct);
            logger.LogWarning("WeCom inbox message {InboxId} refused: {Error}", id, Describe(e));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            var maxAttempts = options.Value.Callback.MaxProcessingAttempts;
            var policy = new RetryPolicy(maxAttempts, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));
            var attempts = await RecordAsync(id, owner, m => m.RecordFailure(Describe(e), clock.GetUtcNow(), policy, Random.Shared.NextDouble()), ct);
            logger.LogWarning(e, "WeCom inbox message {InboxId} failed (attempt {Attempt} of {MaxAttempts})", id, attempts, maxAttempts);
        }
    }

    /// <summary>Records an outcome on the message, if this batch still holds it; returns its attempts.</summary>
    private async Task<int?> RecordAsync(Guid id, string owner, Action<InboxMessage> record, CancellationToken ct)
    {
        var message = await queue.FindLeasedAsync(id, owner, ct);
        if (message is null)
        {
            // The lease ran out and another processor has the message; what it applied is recorded once anyway.
            logger.LogWarning("The lease on inbox message {InboxId} ran out before its outcome was recorded", id);
            return null;
        }

        record(message);
        queue.Complete(message);
        await db.SaveChangesAsync(ct);
        return message.Attempts;
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
