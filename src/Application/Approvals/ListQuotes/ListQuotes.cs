using CrmIntegration.Application.Approvals.GetQuote;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Approvals;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.ListQuotes;

/// <summary><see cref="Status"/> is the API's word (e.g. "pending_approval"); the validator checks it.</summary>
public sealed record ListQuotesQuery(string? Number, string? Status, int Page = 1, int PageSize = 20)
    : IRequest<PagedResult<QuoteDto>>;

internal sealed class ListQuotesQueryHandler(IAppDbContext db, TypeAdapterConfig mapping)
    : IRequestHandler<ListQuotesQuery, PagedResult<QuoteDto>>
{
    public async Task<PagedResult<QuoteDto>> Handle(ListQuotesQuery query, CancellationToken cancellationToken)
    {
        var quotes = db.Quotes.AsNoTracking();
        if (!string.IsNullOrEmpty(query.Number))
        {
            quotes = quotes.Where(q => q.Number == query.Number);
        }

        if (SnakeCaseEnum.TryParse<QuoteStatus>(query.Status, out var status))
        {
            quotes = quotes.Where(q => q.Status == status);
        }

        var total = await quotes.CountAsync(cancellationToken);
        var items = await quotes
            .OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ProjectToType<QuoteDto>(mapping)
            .ToListAsync(cancellationToken);
        return new PagedResult<QuoteDto>(items, query.Page, query.PageSize, total);
    }
}
