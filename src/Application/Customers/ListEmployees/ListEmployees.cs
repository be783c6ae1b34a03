using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Customers.GetEmployee;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.ListEmployees;

public sealed record ListEmployeesQuery(int Page = 1, int PageSize = 20) : IRequest<PagedResult<EmployeeDto>>;

internal sealed class ListEmployeesQueryHandler(IAppDbContext db, TypeAdapterConfig mapping)
    : IRequestHandler<ListEmployeesQuery, PagedResult<EmployeeDto>>
{
    public async Task<PagedResult<EmployeeDto>> Handle(ListEmployeesQuery query, CancellationToken cancellationToken)
    {
        var employees = db.Employees.AsNoTracking();
        var total = await employees.CountAsync(cancellationToken);
        var items = await employees.OrderBy(e => e.Name).ThenBy(e => e.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ProjectToType<EmployeeDto>(mapping).ToListAsync(cancellationToken);
        return new PagedResult<EmployeeDto>(items, query.Page, query.PageSize, total);
    }
}
