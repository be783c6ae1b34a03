using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.DeliverEmployeeNotification;

/// <summary>
/// Delivers the notification outbox, one claimed batch per command (the worker sends it until it answers 0): each
/// notification is sent through the configured channel and ends as its <see cref="EmployeeNotification"/> decides
/// (sent, not_subscribed, skipped_no_openid, failed, unconfirmed, or pending again with backoff until dead).
/// </summary>
public sealed record DeliverEmployeeNotificationCommand : IRequest<int>;

internal sealed class DeliverEmployeeNotificationCommandHandler(
    IWorkQueue<EmployeeNotification> queue,
    IAppDbContext db,
    IEmployeeNotificationSender sender,
    NotificationComposer composer,
    TimeProvider clock,
    IOptions<NotificationsOptions> options,
    CrmMetrics metrics,
    ILogger<DeliverEmployeeNotificationCommandHandler> logger) : IRequestHandler<DeliverEmployeeNotificationCommand, int>
{
    public async Task<int> Handle(DeliverEmployeeNotificationCommand command, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var batch = await queue.ClaimAsync(n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now, n => n.NextAttemptAt,
            o.ClaimSize, o.Lease, cancellationToken);
        if (batch.IsEmpty)
        {
            return 0;
        }

        var employeeIds = batch.Items.Select(n => n.EmployeeId).Distinct().ToList();
        var openIds = await db.Employees.AsNoTracking().Where(e => employeeIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, e => e.MiniProgramOpenId, cancellationToken);
        var unreachable = batch.Items.Where(n => openIds.GetValueOrDefault(n.EmployeeId) is not { Length: > 0 }).ToList();
        unreachable.ForEach(n => n.SkipNoOpenid("The employee has no mini-program openid.", now));
        await SettleAsync(unreachable, cancellationToken);
        var sendable = batch.Items.Except(unreachable).ToList();

        // A send that starts this late could still be in flight when the lease ends and another worker takes the
        // row; leave such rows to the next claim. One send can take four request timeouts: token fetch, invoke, and
        // after a token error both again.
        var lastStart = batch.LeaseUntil - (4 * o.RequestTimeout);
        foreach (var chunk in sendable.Chunk(o.RecipientsPerSend))
        {
            if (clock.GetUtcNow() > lastStart)
            {
                await queue.ReleaseAsync(batch, chunk, cancellationToken);
                continue;
            }

            Array.ForEach(chunk, n => n.StartAttempt());
            if (await SaveAsync(chunk, cancellationToken))
            {
                await SendAsync(chunk, openIds, cancellationToken);
            }
        }

        return batch.Items.Count;
    }

    private async Task SendAsync(EmployeeNotification[] chunk, Dictionary<Guid, string?> openIds, CancellationToken ct)
    {
        IReadOnlyList<SendResult> results;
        try
        {
            results = await sender.SendAsync([.. chunk.Select(n => composer.Compose(n, openIds[n.EmployeeId]!))], ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Sending {Count} notification(s) failed unexpectedly; they will be retried", chunk.Length);
            results = [.. chunk.Select(n => SendResult.Transport(n.Id, $"{e.GetType().Name}: {e.Message}"))];
        }

        var policy = options.Value.RetryPolicy;
        var now = clock.GetUtcNow();
        var byId = chunk.ToDictionary(n => n.Id);
        var settled = new List<EmployeeNotification>();
        foreach (var result in results)
        {
            if (!byId.TryGetValue(result.Id, out var n))
            {
                continue;
            }

            var status = n.RecordAttempt(result.Outcome, result.ErrorCode, result.Error, result.MsgId, now, policy, Random.Shared.NextDouble());
            settled.Add(n);
            if (status == NotificationStatus.Sent)
            {
                logger.LogInformation("Notification {NotificationId} sent (msgid {MsgId})", n.Id, n.MsgId);
            }
            else
            {
                logger.LogWarning("Notification {NotificationId}: {Status} after attempt {Attempt} (errcode {ErrCode}: {Error})",
                    n.Id, status, n.Attempts, result.ErrorCode, n.LastError);
            }
        }

        await SettleAsync(settled, ct);
    }

    private async Task SettleAsync(IReadOnlyCollection<EmployeeNotification> settled, CancellationToken ct)
    {
        if (settled.Count == 0)
        {
            return;
        }

        foreach (var n in settled)
        {
            queue.Complete(n);
        }

        if (await SaveAsync(settled, ct))
        {
            settled.GroupBy(n => n.Status).ToList().ForEach(g => metrics.Notification(SnakeCaseEnum.Name(g.Key), g.Count()));
        }
    }

    // Refused when the lease ran out and another worker claimed the rows meanwhile: theirs now, left alone here.
    private async Task<bool> SaveAsync(IReadOnlyCollection<EmployeeNotification> rows, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("The lease on {Count} notification(s) ran out before they were recorded; another worker has them", rows.Count);
            db.ChangeTracker.Entries<EmployeeNotification>().Where(e => rows.Contains(e.Entity)).ToList()
                .ForEach(e => e.State = EntityState.Detached);

            return false;
        }
    }
}
