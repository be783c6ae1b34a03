using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Approvals;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.ListInboxMessages;

/// <summary>Stored callbacks, newest first; <see cref="Status"/> is the API's word (received, processed, ignored, failed).</summary>
public sealed record ListInboxMessagesQuery(string? Status, int Page = 1, int PageSize = 50) : IRequest<PagedResult<InboxMessageDto>>;

internal sealed class ListInboxMessagesQueryValidator : AbstractValidator<ListInboxMessagesQuery>
{
    public const int MaxPageSize = 200;

    public ListInboxMessagesQueryValidator()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, PagedResult.MaxPage);
        RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
        RuleFor(q => q.Status)
            .Must(s => SnakeCaseEnum.TryParse<InboxStatus>(s, out _))
            .When(q => !string.IsNullOrEmpty(q.Status))
            .WithMessage($"'Status' must be one of: {SnakeCaseEnum.Names<InboxStatus>()}.");
    }
}

internal sealed class ListInboxMessagesQueryHandler(IAppDbContext db) : IRequestHandler<ListInboxMessagesQuery, PagedResult<InboxMessageDto>>
{
    public async Task<PagedResult<InboxMessageDto>> Handle(ListInboxMessagesQuery query, CancellationToken cancellationToken)
    {
        var messages = db.Inbox.AsNoTracking();
        if (SnakeCaseEnum.TryParse<InboxStatus>(query.Status, out var status))
        {
            messages = messages.Where(m => m.Status == status);
        }

        var total = await messages.CountAsync(cancellationToken);
        var rows = await messages.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return new PagedResult<InboxMessageDto>(
            [.. rows.Select(m => new InboxMessageDto(m.Id, m.EventKey, m.MsgType, m.EventName, SnakeCaseEnum.Name(m.Status), m.Attempts,
                m.Outcome, m.LastError, m.ReceivedAt, m.ProcessedAt, m.NextAttemptAt, m.Payload))],
            query.Page, query.PageSize, total);
    }
}
