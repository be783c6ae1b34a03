using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Persistence.Inbox;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValidationException = CrmIntegration.Application.Common.Exceptions.ValidationException;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

/// <summary>
/// Processes stored callbacks: claims due rows with an atomic update and a lease (safe with several
/// instances), applies each through HandleApprovalCallback, and records the outcome on the row. A failure
/// never loses the row: it is retried with backoff and ends processed, ignored or failed with its reason.
/// </summary>
internal sealed class WeComInboxProcessor(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<WeComOptions> options,
    ILogger<WeComInboxProcessor> logger)
{
    // Small claims with a short lease: a processor killed mid-batch holds up little, for little time.
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private const int BatchSize = 20;

    /// <summary>Processes every message due now; returns how many it took.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var claimed = await ClaimAsync(ct);
            if (claimed.Count == 0)
            {
                return total;
            }

            foreach (var message in claimed)
            {
                await ProcessAsync(message, ct);
            }

            total += claimed.Count;
        }
    }

    private async Task<List<InboxMessage>> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var until = now + Lease;
        var owner = Guid.NewGuid().ToString("N");
        var due = db.Inbox.Where(m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now
                                      && (m.LockedUntil == null || m.LockedUntil < now));
        var batch = due.OrderBy(m => m.ReceivedAt).Take(BatchSize).Select(m => m.Id);

        // The outer filter repeats the due test, so a row another instance claimed meanwhile is not taken twice.
        await due.Where(m => batch.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, until).SetProperty(m => m.LockOwner, owner), ct);
        return await db.Inbox.AsNoTracking()
            .Where(m => m.LockOwner == owner && m.Status == InboxStatus.Received)
            .OrderBy(m => m.ReceivedAt)
            .ToListAsync(ct);
    }

    private async Task ProcessAsync(InboxMessage message, CancellationToken ct)
    {
        InboxStatus status;
        string? outcome = null;
        string? error = null;
        var attempts = message.Attempts + 1;
        var nextAttemptAt = message.NextAttemptAt;
        try
        {
            var parsed = WeComXml.ParseMessage(message.Payload);
            if (parsed.Approval is null)
            {
                status = InboxStatus.Ignored;
                outcome = "ignored";
            }
            else
            {
                var result = await HandleAsync(parsed.Approval with { ReceivedAt = message.ReceivedAt }, ct);
                status = InboxStatus.Processed;
                outcome = result.Duplicate ? "duplicate" : SnakeCaseEnum.Name(result.Outcome!.Value);
            }
        }
        catch (ValidationException e)
        {
            status = InboxStatus.Ignored; // values no quote of ours can carry (another app's approval): not ours
            outcome = "ignored";
            error = Describe(e);
        }
        catch (WeComCryptoException e)
        {
            status = InboxStatus.Failed; // the message itself is unusable: retrying cannot help
            error = Describe(e);
            logger.LogWarning("WeCom inbox message {InboxId} refused: {Error}", message.Id, error);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            error = Describe(e);
            var maxAttempts = options.Value.Callback.MaxProcessingAttempts;
            status = attempts >= maxAttempts ? InboxStatus.Failed : InboxStatus.Received;
            nextAttemptAt = clock.GetUtcNow() + Backoff(attempts);
            logger.LogWarning(e, "WeCom inbox message {InboxId} failed (attempt {Attempt} of {MaxAttempts})",
                message.Id, attempts, maxAttempts);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        DateTimeOffset? processedAt = status == InboxStatus.Received ? null : clock.GetUtcNow();
        await db.Inbox.Where(m => m.Id == message.Id && m.LockOwner == message.LockOwner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, status)
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.NextAttemptAt, nextAttemptAt)
                .SetProperty(m => m.Outcome, outcome)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.ProcessedAt, processedAt)
                .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), ct);
    }

    // A scope per message: one message's failure leaves nothing tracked for the next. Two events for one approval
    // processed at once (two instances) are settled inside the use case, which re-reads and applies again.
    private async Task<ApprovalEventResult> HandleAsync(ApprovalEvent approval, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>()
            .Send(new HandleApprovalCallbackCommand(approval, TimelineSource.Callback), ct);
    }

    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, attempts)) * (0.8 + (Random.Shared.NextDouble() * 0.4)));

    private static string Describe(Exception e) =>
        InboxMessage.Truncate($"{e.GetType().Name}: {e.Message}", InboxMessage.ErrorMaxLength)!;
}
