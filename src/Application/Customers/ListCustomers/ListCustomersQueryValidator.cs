using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.ListCustomers;

internal sealed class ListCustomersQueryValidator : AbstractValidator<ListCustomersQuery>
{
    public ListCustomersQueryValidator(IOptions<CustomersOptions> options)
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, options.Value.MaxPageSize);
    }
}
