using CrmIntegration.Application.Common.Models;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.ListCustomers;

internal sealed class ListCustomersQueryValidator : AbstractValidator<ListCustomersQuery>
{
    public ListCustomersQueryValidator(IOptions<CustomersOptions> options)
    {
        RuleFor(q => q.Page).InclusiveBetween(1, PagedResult.MaxPage); // (page - 1) * pageSize must not overflow
        RuleFor(q => q.PageSize).InclusiveBetween(1, options.Value.MaxPageSize);
    }
}
