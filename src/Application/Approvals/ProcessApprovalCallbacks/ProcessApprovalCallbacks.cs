using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValidationException = CrmIntegration.Application.Common.Exceptions.ValidationException;

namespace CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;

/// <summary>
/// Applies stored callbacks, one claimed batch per command (the worker sends it until it answers 0): each message
/// is applied as HandleApprovalCallback applies any event, and ends as its <see cref="InboxMessage"/> decides:
/// processed (with the timeline's outcome, in the same commit as the event: one commit per event, one per claim),
/// ignored (not an approval event, or values no quote of ours can carry: another app's approval), failed when
/// unusable, or received again with backoff after a fault until its attempts run out.
/// </summary>
public sealed record ProcessApprovalCallbacksCommand : IRequest<int>;

internal sealed class ProcessApprovalCallbacksCommandHandler(
    IWorkQueue<InboxMessage> queue,
    IAppDbContext db,
    IWeComMessageReader reader,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<WeComOptions> options,
    ILogger<ProcessApprovalCallbacksCommandHandler> logger) : IRequestHandler<ProcessApprovalCallbacksCommand, int>
{
    // Small claims with a short lease: a processor killed mid-batch holds up little, for little time.
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private const int BatchSize = 20;

    public async Task<int> Handle(ProcessApprovalCallbacksCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var batch = await queue.ClaimAsync(m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now, m => m.ReceivedAt,
            BatchSize, Lease, cancellationToken);
        foreach (var message in batch.Items)
        {
            if (await ProcessAsync(message, batch.Owner, cancellationToken))
            {
                Detach(message); // recorded with its event, in that event's unit of work
                continue;
            }

            queue.Complete(message);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The lease ran out and another processor has the message; what it applied is recorded once anyway.
                logger.LogWarning("The lease on inbox message {InboxId} ran out before its outcome was recorded", message.Id);
                Detach(message);
            }
        }

        return batch.Items.Count;
    }

    /// <returns>True when the outcome was committed with the event; false when it is on <paramref name="message"/>, to save.</returns>
    private async Task<bool> ProcessAsync(InboxMessage message, string owner, CancellationToken ct)
    {
        try
        {
            var approval = reader.Read(message.Payload).Approval;
            if (approval is null)
            {
                message.RecordIgnored(null, clock.GetUtcNow());
                return false;
            }

            var handle = new HandleApprovalCallbackCommand(approval with { ReceivedAt = message.ReceivedAt }, TimelineSource.Callback,
                new InboxLease(message.Id, owner));
            if (await SendAsync(handle, ct) is { Duplicate: true })
            {
                message.RecordProcessed("duplicate", clock.GetUtcNow());
                return false;
            }

            return true;
        }
        catch (ValidationException e)
        {
            message.RecordIgnored(Describe(e), clock.GetUtcNow()); // values no quote of ours can carry: not ours
            return false;
        }
        catch (WeComCryptoException e)
        {
            message.RecordRefused(Describe(e), clock.GetUtcNow()); // the message itself is unusable: retrying cannot help
            logger.LogWarning("WeCom inbox message {InboxId} refused: {Error}", message.Id, message.LastError);
            return false;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var maxAttempts = options.Value.Callback.MaxProcessingAttempts;
            message.RecordFailure(Describe(e), clock.GetUtcNow(), new RetryPolicy(maxAttempts, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5)),
                Random.Shared.NextDouble());
            logger.LogWarning(e, "WeCom inbox message {InboxId} failed (attempt {Attempt} of {MaxAttempts})", message.Id, message.Attempts, maxAttempts);
            return false;
        }
    }

    // A scope per message: one message's failure leaves nothing tracked for the next. The message's outcome is saved
    // with the event; two events for one approval at once (two instances) are settled by the use case's re-read.
    private async Task<ApprovalEventResult> SendAsync(HandleApprovalCallbackCommand handle, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(handle, ct);
    }

    private void Detach(InboxMessage message) =>
        db.ChangeTracker.Entries<InboxMessage>().Where(e => e.Entity == message).ToList().ForEach(e => e.State = EntityState.Detached);

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
