using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Infrastructure.Common;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Persistence.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

internal sealed class WeComInbox(
    AppDbContext db,
    [FromKeyedServices(WeComInboxWorker.SignalKey)] WorkSignal signal,
    TimeProvider clock) : IWeComInbox
{
    public const int MaxPageSize = 200;

    public async Task<PagedResult<InboxMessageDto>> ListAsync(string? status, int page, int pageSize, CancellationToken ct)
    {
        if (page is < 1 or > PagedResult.MaxPage || pageSize is < 1 or > MaxPageSize)
        {
            throw new ValidationException("page", $"page must be 1 or more and pageSize 1-{MaxPageSize}.");
        }

        var messages = db.Inbox.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            if (!SnakeCaseEnum.TryParse<InboxStatus>(status, out var parsed))
            {
                throw new ValidationException("status", $"status must be one of: {SnakeCaseEnum.Names<InboxStatus>()}.");
            }

            messages = messages.Where(m => m.Status == parsed);
        }

        var total = await messages.CountAsync(ct);
        var rows = await messages.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new PagedResult<InboxMessageDto>(
            [.. rows.Select(m => new InboxMessageDto(m.Id, m.EventKey, m.MsgType, m.EventName, SnakeCaseEnum.Name(m.Status), m.Attempts,
                m.Outcome, m.LastError, m.ReceivedAt, m.ProcessedAt, m.NextAttemptAt, m.Payload))],
            page, pageSize, total);
    }

    public async Task<InboxRetry> RetryAsync(Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var queued = await db.Inbox.Where(m => m.Id == id && m.Status == InboxStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, InboxStatus.Received)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), ct);
        if (queued == 1)
        {
            signal.Notify();
            return InboxRetry.Queued;
        }

        return await db.Inbox.AnyAsync(m => m.Id == id, ct) ? InboxRetry.NotFailed : InboxRetry.NotFound;
    }
}
