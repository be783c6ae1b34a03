using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Customers;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.GetEmployee;

public sealed record GetEmployeeQuery(Guid EmployeeId) : IRequest<EmployeeDto>;

internal sealed class GetEmployeeQueryHandler(IAppDbContext db, TypeAdapterConfig mapping)
    : IRequestHandler<GetEmployeeQuery, EmployeeDto>
{
    public async Task<EmployeeDto> Handle(GetEmployeeQuery query, CancellationToken cancellationToken) =>
        await db.Employees.AsNoTracking().Where(e => e.Id == query.EmployeeId)
            .ProjectToType<EmployeeDto>(mapping).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException(nameof(Employee), query.EmployeeId);
}
