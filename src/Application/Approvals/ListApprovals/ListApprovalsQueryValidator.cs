using CrmIntegration.Application.Common.Models;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.ListApprovals;

internal sealed class ListApprovalsQueryValidator : AbstractValidator<ListApprovalsQuery>
{
    public ListApprovalsQueryValidator(IOptions<QuotesOptions> options)
    {
        RuleFor(q => q.Page).InclusiveBetween(1, PagedResult.MaxPage);
        RuleFor(q => q.PageSize).InclusiveBetween(1, options.Value.MaxPageSize);
    }
}
