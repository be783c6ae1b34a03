using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Customers.MiniProgram;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Customers.Notifications;

/// <summary>
/// Delivers the notification outbox: claims due rows with an atomic update and a lease (safe with several
/// instances), sends them through the configured channel, and records each outcome on its row: sent,
/// not_subscribed, skipped_no_openid, failed, unconfirmed (the function ran without saying: never resent on its own),
/// or pending again with exponential backoff and jitter until Notifications:MaxAttempts, then dead. Every update
/// replaces the row's Version, so an admin's retry that read the row before it changed answers 409. No send starts once the lease is nearly over, so another
/// dispatcher taking the row after the lease never sends it a second time.
/// </summary>
internal sealed class NotificationDispatcher(
    IServiceScopeFactory scopes,
    IEmployeeNotificationSender sender,
    NotificationComposer composer,
    TimeProvider clock,
    IOptions<NotificationsOptions> options,
    CrmMetrics metrics,
    ILogger<NotificationDispatcher> logger)
{
    /// <summary>Sends every notification due now; returns how many it claimed.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var (owner, until, claimed) = await ClaimAsync(ct);
            if (claimed.Count == 0)
            {
                return total;
            }

            await DeliverAsync(owner, until, claimed, ct);
            total += claimed.Count;
        }
    }

    internal async Task<(string Owner, DateTimeOffset Until, List<EmployeeNotification> Claimed)> ClaimAsync(CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var until = now + o.Lease;
        var owner = Guid.NewGuid().ToString("N");
        var due = db.Notifications.Where(n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now
                                              && (n.LockedUntil == null || n.LockedUntil < now));
        var batch = due.OrderBy(n => n.NextAttemptAt).Take(ClaimSize(o)).Select(n => n.Id);

        // The outer filter repeats the due test, so a row another instance claimed meanwhile is not taken twice.
        await due.Where(n => batch.Contains(n.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LockedUntil, until).SetProperty(n => n.LockOwner, owner)
                .SetProperty(n => n.Version, Guid.NewGuid()), ct);
        var claimed = await db.Notifications.AsNoTracking()
            .Where(n => n.LockOwner == owner && n.Status == NotificationStatus.Pending)
            .OrderBy(n => n.NextAttemptAt)
            .ToListAsync(ct);
        return (owner, until, claimed);
    }

    private async Task DeliverAsync(string owner, DateTimeOffset until, List<EmployeeNotification> claimed, CancellationToken ct)
    {
        var o = options.Value;
        Dictionary<Guid, string?> openIds;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var employeeIds = claimed.Select(n => n.EmployeeId).Distinct().ToList();
            openIds = await db.Employees.AsNoTracking().Where(e => employeeIds.Contains(e.Id))
                .ToDictionaryAsync(e => e.Id, e => e.MiniProgramOpenId, ct);
        }

        var sendable = new List<OutgoingNotification>();
        foreach (var n in claimed)
        {
            if (openIds.GetValueOrDefault(n.EmployeeId) is { Length: > 0 } openId)
            {
                sendable.Add(composer.Compose(n, openId));
            }
            else
            {
                await FinishAsync(n, owner, new SendResult(n.Id, null, null, "The employee has no mini-program openid."),
                    NotificationStatus.SkippedNoOpenid, ct);
            }
        }

        var byId = claimed.ToDictionary(n => n.Id);
        var perSend = o.Channel == NotificationChannel.CloudFunction ? o.RecipientsPerInvoke : 1;

        // A send that starts this late could still be in flight when the lease ends and another dispatcher
        // takes the row; leave such rows to the next claim instead.
        // One send can take four request timeouts: token fetch, invoke, and after a token error both again.
        var lastStart = until - (4 * o.RequestTimeout);
        foreach (var chunk in sendable.Chunk(perSend))
        {
            if (clock.GetUtcNow() > lastStart)
            {
                await ReleaseAsync(chunk.Select(c => c.Id).ToList(), owner, ct);
                continue;
            }

            // The attempt is counted before WeChat is called: a send cut off by a crash (WeChat has no idempotency
            // key, so it may have arrived) shows as a second attempt when the row is sent again.
            await CountAttemptAsync(chunk.Select(c => c.Id).ToList(), owner, ct);
            IReadOnlyList<SendResult> results;
            try
            {
                results = await sender.SendAsync(chunk, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "Sending {Count} notification(s) failed unexpectedly; they will be retried", chunk.Length);
                results = [.. chunk.Select(c => SendResult.Transport(c.Id, $"{e.GetType().Name}: {e.Message}"))];
            }

            foreach (var result in results)
            {
                if (byId.TryGetValue(result.Id, out var n))
                {
                    await FinishAsync(n, owner, result, StatusOf(result.Outcome), ct);
                }
            }
        }
    }

    private async Task CountAttemptAsync(List<Guid> ids, string owner, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Notifications.Where(n => ids.Contains(n.Id) && n.LockOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Attempts, n => n.Attempts + 1).SetProperty(n => n.Version, Guid.NewGuid()), ct);
    }

    private static NotificationStatus StatusOf(SendOutcome outcome) => outcome switch
    {
        SendOutcome.Sent => NotificationStatus.Sent,
        SendOutcome.NotSubscribed => NotificationStatus.NotSubscribed,
        SendOutcome.Failed => NotificationStatus.Failed,
        SendOutcome.Unconfirmed => NotificationStatus.Unconfirmed,
        _ => NotificationStatus.Pending,
    };

    private async Task FinishAsync(EmployeeNotification n, string owner, SendResult result, NotificationStatus status, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var attempts = n.Attempts + 1;
        var nextAttemptAt = n.NextAttemptAt;
        if (status == NotificationStatus.Pending)
        {
            if (attempts >= o.MaxAttempts)
            {
                status = NotificationStatus.Dead;
            }
            else
            {
                nextAttemptAt = now + Backoff(attempts, o);
            }
        }

        DateTimeOffset? completedAt = status == NotificationStatus.Pending ? null : now;
        var error = Truncate(result.Error, EmployeeNotification.ErrorMaxLength);
        var msgId = Truncate(result.MsgId, EmployeeNotification.MsgIdMaxLength);
        if (status is NotificationStatus.Sent)
        {
            logger.LogInformation("Notification {NotificationId} sent (msgid {MsgId})", n.Id, msgId);
        }
        else
        {
            logger.LogWarning("Notification {NotificationId}: {Status} after attempt {Attempt} (errcode {ErrCode}: {Error})",
                n.Id, status, attempts, result.ErrorCode, error);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var settled = await db.Notifications.Where(x => x.Id == n.Id && x.LockOwner == owner && x.Status == NotificationStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, status)
                .SetProperty(x => x.Attempts, attempts)
                .SetProperty(x => x.NextAttemptAt, nextAttemptAt)
                .SetProperty(x => x.MsgId, msgId)
                .SetProperty(x => x.LastErrorCode, result.ErrorCode == WeChatErrorCodes.Ok ? null : result.ErrorCode)
                .SetProperty(x => x.LastError, error)
                .SetProperty(x => x.CompletedAt, completedAt)
                .SetProperty(x => x.LockedUntil, (DateTimeOffset?)null)
                .SetProperty(x => x.Version, Guid.NewGuid()), ct);
        if (settled == 1)
        {
            metrics.Notification(SnakeCaseEnum.Name(status));
        }
    }

    private async Task ReleaseAsync(List<Guid> ids, string owner, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Notifications.Where(x => ids.Contains(x.Id) && x.LockOwner == owner && x.Status == NotificationStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedUntil, (DateTimeOffset?)null).SetProperty(x => x.Version, Guid.NewGuid()), ct);
    }

    internal static TimeSpan Backoff(int attempts, NotificationsOptions o) =>
        TimeSpan.FromSeconds(Math.Min(o.MaxBackoff.TotalSeconds, o.BaseBackoff.TotalSeconds * Math.Pow(2, attempts - 1))
                             * (0.8 + (Random.Shared.NextDouble() * 0.4)));

    private static int ClaimSize(NotificationsOptions o) =>
        o.Channel == NotificationChannel.CloudFunction ? o.RecipientsPerInvoke * 2 : 10;

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
