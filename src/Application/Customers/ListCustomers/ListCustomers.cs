using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Customers.GetCustomer;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.ListCustomers;

public sealed record ListCustomersQuery(Guid? OwnerEmployeeId, bool? InPublicPool, int Page = 1, int PageSize = 20)
    : IRequest<PagedResult<CustomerDto>>;

internal sealed class ListCustomersQueryHandler(IAppDbContext db, TypeAdapterConfig mapping)
    : IRequestHandler<ListCustomersQuery, PagedResult<CustomerDto>>
{
    public async Task<PagedResult<CustomerDto>> Handle(ListCustomersQuery query, CancellationToken cancellationToken)
    {
        var customers = db.Customers.AsNoTracking();
        if (query.OwnerEmployeeId is { } owner)
        {
            customers = customers.Where(c => c.OwnerEmployeeId == owner);
        }

        if (query.InPublicPool is { } inPool)
        {
            customers = customers.Where(c => c.InPublicPool == inPool);
        }

        var total = await customers.CountAsync(cancellationToken);
        var items = await customers.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ProjectToType<CustomerDto>(mapping).ToListAsync(cancellationToken);
        return new PagedResult<CustomerDto>(items, query.Page, query.PageSize, total);
    }
}
