using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.GetQuote;

public sealed record GetQuoteQuery(Guid QuoteId) : IRequest<QuoteDto>;

internal sealed class GetQuoteQueryHandler(IAppDbContext db, TypeAdapterConfig mapping)
    : IRequestHandler<GetQuoteQuery, QuoteDto>
{
    public async Task<QuoteDto> Handle(GetQuoteQuery query, CancellationToken cancellationToken) =>
        await db.Quotes.AsNoTracking().Where(q => q.Id == query.QuoteId)
            .ProjectToType<QuoteDto>(mapping).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException(nameof(Quote), query.QuoteId);
}
