using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Admin.GetWorkQueues;

/// <summary>
/// The work queues (ADR-22) in one shape: rows by status, how many are due now and since when. The three queues, then
/// the sync's one-row list scan (ADR-27), whose "failing" says WeCom's lists could not be read last time.
/// </summary>
public sealed record GetWorkQueuesQuery : IRequest<IReadOnlyList<WorkQueueDto>>;

/// <param name="Kind">approval_callbacks, employee_notifications, approval_sync or approval_list_scan.</param>
/// <param name="ByStatus">Rows per status (the queue's own words: received/processed/…, pending/sent/…, scheduled/failing).</param>
/// <param name="DueNow">Rows a worker would claim now (leased ones included).</param>
/// <param name="OldestDueAt">When the longest-waiting due row became due; null when none is.</param>
public sealed record WorkQueueDto(string Kind, IReadOnlyDictionary<string, int> ByStatus, int DueNow, DateTimeOffset? OldestDueAt);

internal sealed class GetWorkQueuesQueryHandler(IAppDbContext db, TimeProvider clock) : IRequestHandler<GetWorkQueuesQuery, IReadOnlyList<WorkQueueDto>>
{
    public async Task<IReadOnlyList<WorkQueueDto>> Handle(GetWorkQueuesQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var inbox = db.Inbox.AsNoTracking();
        var inboxDue = inbox.Where(m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now);
        var outbox = db.Notifications.AsNoTracking();
        var outboxDue = outbox.Where(n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now);
        var sync = db.ApprovalSync.AsNoTracking();
        var syncDue = sync.Where(s => s.NextSyncAt <= now);
        var scan = db.ApprovalListScans.AsNoTracking();
        var scanDue = scan.Where(s => s.NextScanAt <= now);
        return
        [
            new WorkQueueDto(SnakeCaseEnum.Name(WorkKind.ApprovalCallbacks),
                (await inbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
                    .ToDictionary(g => SnakeCaseEnum.Name(g.Key), g => g.Count),
                await inboxDue.CountAsync(cancellationToken),
                await inboxDue.OrderBy(m => m.NextAttemptAt).Select(m => (DateTimeOffset?)m.NextAttemptAt).FirstOrDefaultAsync(cancellationToken)),
            new WorkQueueDto(SnakeCaseEnum.Name(WorkKind.EmployeeNotifications),
                (await outbox.GroupBy(n => n.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
                    .ToDictionary(g => SnakeCaseEnum.Name(g.Key), g => g.Count),
                await outboxDue.CountAsync(cancellationToken),
                await outboxDue.OrderBy(n => n.NextAttemptAt).Select(n => (DateTimeOffset?)n.NextAttemptAt).FirstOrDefaultAsync(cancellationToken)),
            new WorkQueueDto(SnakeCaseEnum.Name(WorkKind.ApprovalSync),
                new Dictionary<string, int>
                {
                    ["scheduled"] = await sync.CountAsync(cancellationToken),
                    ["failing"] = await sync.CountAsync(s => s.Failures > 0, cancellationToken),
                },
                await syncDue.CountAsync(cancellationToken),
                await syncDue.OrderBy(s => s.NextSyncAt).Select(s => (DateTimeOffset?)s.NextSyncAt).FirstOrDefaultAsync(cancellationToken)),
            new WorkQueueDto("approval_list_scan",
                new Dictionary<string, int>
                {
                    ["scheduled"] = await scan.CountAsync(cancellationToken),
                    ["failing"] = await scan.CountAsync(s => s.Failures > 0, cancellationToken),
                },
                await scanDue.CountAsync(cancellationToken),
                await scanDue.Select(s => (DateTimeOffset?)s.NextScanAt).FirstOrDefaultAsync(cancellationToken)),
        ];
    }
}
