using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.GetQuoteTimeline;

public sealed record GetQuoteTimelineQuery(Guid QuoteId) : IRequest<IReadOnlyList<TimelineEventDto>>;

internal sealed class GetQuoteTimelineQueryHandler(IAppDbContext db, TypeAdapterConfig mapping)
    : IRequestHandler<GetQuoteTimelineQuery, IReadOnlyList<TimelineEventDto>>
{
    public async Task<IReadOnlyList<TimelineEventDto>> Handle(GetQuoteTimelineQuery query, CancellationToken cancellationToken)
    {
        if (!await db.Quotes.AnyAsync(q => q.Id == query.QuoteId, cancellationToken))
        {
            throw new NotFoundException(nameof(Quote), query.QuoteId);
        }

        return await db.Timeline.AsNoTracking()
            .Where(t => t.QuoteId == query.QuoteId)
            .OrderBy(t => t.ReceivedAt).ThenBy(t => t.Id)
            .ProjectToType<TimelineEventDto>(mapping)
            .ToListAsync(cancellationToken);
    }
}
