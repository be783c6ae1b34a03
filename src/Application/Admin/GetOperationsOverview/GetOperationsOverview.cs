using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Admin.GetOperationsOverview;

/// <summary>
/// What the console's overview shows: quotes, callbacks and notifications by status (every instance's, from the
/// store), the backlogs' oldest age, this instance's last sync run, and callbacks received and notifications
/// queued per minute over the last hour (oldest minute first).
/// </summary>
public sealed record GetOperationsOverviewQuery : IRequest<OperationsOverviewDto>;

public sealed record OperationsOverviewDto(
    IReadOnlyDictionary<string, int> Quotes,
    IReadOnlyDictionary<string, double> Inbox,
    IReadOnlyDictionary<string, double> Notifications,
    LastSyncDto LastSync,
    IReadOnlyList<MinuteCountsDto> PerMinute);

public sealed record LastSyncDto(string? Result, DateTimeOffset? At);

public sealed record MinuteCountsDto(DateTimeOffset Minute, int Callbacks, int Notifications);

internal sealed class GetOperationsOverviewQueryHandler(IAppDbContext db, IInboxStatistics inbox, IOperationsProbe backlogs, CrmMetrics metrics, TimeProvider clock)
    : IRequestHandler<GetOperationsOverviewQuery, OperationsOverviewDto>
{
    private const int Minutes = 60;

    public async Task<OperationsOverviewDto> Handle(GetOperationsOverviewQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var thisMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var starts = Enumerable.Range(0, Minutes).Select(i => thisMinute.AddMinutes(i - Minutes + 1)).ToList();

        var quotes = await db.Quotes.AsNoTracking().GroupBy(q => q.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var notifications = await db.Notifications.AsNoTracking().GroupBy(n => n.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var queued = new List<int>(Minutes);
        foreach (var start in starts)
        {
            var end = start.AddMinutes(1); // one indexed range count per minute: the store does the work
            queued.Add(await db.Notifications.AsNoTracking().CountAsync(n => n.CreatedAt >= start && n.CreatedAt < end, cancellationToken));
        }

        var callbacks = await inbox.ReadAsync(starts, cancellationToken);
        var backlog = await backlogs.ReadFreshAsync(cancellationToken); // the oldest ages, as the metrics and health read them

        var notificationCounts = Enum.GetValues<NotificationStatus>()
            .ToDictionary(s => SnakeCaseEnum.Name(s), s => (double)(notifications.FirstOrDefault(n => n.Key == s)?.Count ?? 0));
        notificationCounts["oldestAgeSeconds"] = backlog.NotificationOldestAgeSeconds;
        var inboxCounts = callbacks.ByStatus.ToDictionary(c => c.Key, c => (double)c.Value);
        inboxCounts["oldestAgeSeconds"] = backlog.InboxOldestAgeSeconds;

        return new OperationsOverviewDto(
            Enum.GetValues<QuoteStatus>().ToDictionary(s => SnakeCaseEnum.Name(s), s => quotes.FirstOrDefault(q => q.Key == s)?.Count ?? 0),
            inboxCounts,
            notificationCounts,
            new LastSyncDto(metrics.LastSyncResult, metrics.LastSyncSuccess),
            [.. starts.Select((start, i) => new MinuteCountsDto(start, callbacks.PerMinute[i], queued[i]))]);
    }
}
