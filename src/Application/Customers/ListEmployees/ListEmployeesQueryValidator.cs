using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.ListEmployees;

internal sealed class ListEmployeesQueryValidator : AbstractValidator<ListEmployeesQuery>
{
    public ListEmployeesQueryValidator(IOptions<CustomersOptions> options)
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, options.Value.MaxPageSize);
    }
}
