using System.Diagnostics;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Telemetry;

/// <summary>
/// Reads the inbox and outbox backlogs from the database (every instance's rows), at most once per
/// <see cref="MaxAge"/> of wall-clock time for <see cref="Read"/>: Prometheus scrapes and load-balancer probes
/// may come often, and each reading is a handful of indexed counts.
/// </summary>
internal sealed class OperationsProbe(IServiceScopeFactory scopes, TimeProvider clock) : IOperationsProbe
{
    internal static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private OperationsSnapshot? _last;
    private long _lastTimestamp;

    public OperationsSnapshot Read()
    {
        lock (_gate)
        {
            if (_last is null || Stopwatch.GetElapsedTime(_lastTimestamp) > MaxAge)
            {
                using var scope = scopes.CreateScope();
                Remember(Query(scope.ServiceProvider.GetRequiredService<AppDbContext>()));
            }

            return _last!;
        }
    }

    public async Task<OperationsSnapshot> ReadFreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var inbox = Inbox(db);
        var outbox = Outbox(db);
        var snapshot = new OperationsSnapshot(
            await inbox.Backlog.CountAsync(cancellationToken),
            Age(now, await inbox.Oldest.FirstOrDefaultAsync(cancellationToken)),
            await inbox.Failed.CountAsync(cancellationToken),
            await outbox.Backlog.CountAsync(cancellationToken),
            Age(now, await outbox.Oldest.FirstOrDefaultAsync(cancellationToken)),
            await outbox.Dead.CountAsync(cancellationToken),
            await outbox.Unconfirmed.CountAsync(cancellationToken),
            now);
        lock (_gate)
        {
            Remember(snapshot);
        }

        return snapshot;
    }

    // Synchronous on purpose: observable instruments are read synchronously during a scrape.
    private OperationsSnapshot Query(AppDbContext db)
    {
        var now = clock.GetUtcNow();
        var inbox = Inbox(db);
        var outbox = Outbox(db);
        return new OperationsSnapshot(
            inbox.Backlog.Count(), Age(now, inbox.Oldest.FirstOrDefault()), inbox.Failed.Count(),
            outbox.Backlog.Count(), Age(now, outbox.Oldest.FirstOrDefault()), outbox.Dead.Count(), outbox.Unconfirmed.Count(), now);
    }

    private void Remember(OperationsSnapshot snapshot)
    {
        _last = snapshot;
        _lastTimestamp = Stopwatch.GetTimestamp();
    }

    private static (IQueryable<InboxMessage> Backlog, IQueryable<DateTimeOffset?> Oldest, IQueryable<InboxMessage> Failed) Inbox(AppDbContext db)
    {
        var backlog = db.Inbox.AsNoTracking().Where(m => m.Status == InboxStatus.Received);
        return (backlog, backlog.OrderBy(m => m.ReceivedAt).Select(m => (DateTimeOffset?)m.ReceivedAt),
            db.Inbox.AsNoTracking().Where(m => m.Status == InboxStatus.Failed));
    }

    private static (IQueryable<EmployeeNotification> Backlog, IQueryable<DateTimeOffset?> Oldest, IQueryable<EmployeeNotification> Dead,
        IQueryable<EmployeeNotification> Unconfirmed) Outbox(AppDbContext db)
    {
        var notifications = db.Notifications.AsNoTracking();
        var backlog = notifications.Where(n => n.Status == NotificationStatus.Pending);
        return (backlog, backlog.OrderBy(n => n.CreatedAt).Select(n => (DateTimeOffset?)n.CreatedAt),
            notifications.Where(n => n.Status == NotificationStatus.Dead), notifications.Where(n => n.Status == NotificationStatus.Unconfirmed));
    }

    private static double Age(DateTimeOffset now, DateTimeOffset? oldest) =>
        oldest is { } at && at < now ? Math.Round((now - at).TotalSeconds, 3) : 0;
}
