using CrmIntegration.Application.Admin.GetOperationsOverview;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

internal sealed class InboxStatisticsReader(AppDbContext db) : IInboxStatistics
{
    public async Task<InboxStatistics> ReadAsync(IReadOnlyList<DateTimeOffset> minuteStarts, CancellationToken cancellationToken)
    {
        var inbox = db.Inbox.AsNoTracking();
        var byStatus = await inbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var perMinute = new List<int>(minuteStarts.Count);
        foreach (var start in minuteStarts)
        {
            var end = start.AddMinutes(1); // one range count on the received_at index per minute
            perMinute.Add(await inbox.CountAsync(m => m.ReceivedAt >= start && m.ReceivedAt < end, cancellationToken));
        }

        return new InboxStatistics(
            Enum.GetValues<InboxStatus>().ToDictionary(s => SnakeCaseEnum.Name(s), s => byStatus.FirstOrDefault(b => b.Key == s)?.Count ?? 0),
            perMinute);
    }
}
