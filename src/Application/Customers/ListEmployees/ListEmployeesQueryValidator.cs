using CrmIntegration.Application.Common.Models;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.ListEmployees;

internal sealed class ListEmployeesQueryValidator : AbstractValidator<ListEmployeesQuery>
{
    public ListEmployeesQueryValidator(IOptions<CustomersOptions> options)
    {
        RuleFor(q => q.Page).InclusiveBetween(1, PagedResult.MaxPage); // (page - 1) * pageSize must not overflow
        RuleFor(q => q.PageSize).InclusiveBetween(1, options.Value.MaxPageSize);
    }
}
