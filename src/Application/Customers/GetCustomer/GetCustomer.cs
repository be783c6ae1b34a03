using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Customers;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.GetCustomer;

public sealed record GetCustomerQuery(Guid CustomerId) : IRequest<CustomerDto>;

internal sealed class GetCustomerQueryHandler(IAppDbContext db, TypeAdapterConfig mapping)
    : IRequestHandler<GetCustomerQuery, CustomerDto>
{
    public async Task<CustomerDto> Handle(GetCustomerQuery query, CancellationToken cancellationToken) =>
        await db.Customers.AsNoTracking().Where(c => c.Id == query.CustomerId)
            .ProjectToType<CustomerDto>(mapping).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException(nameof(Customer), query.CustomerId);
}
