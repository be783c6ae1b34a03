using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Approvals;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.ListQuotes;

internal sealed class ListQuotesQueryValidator : AbstractValidator<ListQuotesQuery>
{
    public ListQuotesQueryValidator(IOptions<QuotesOptions> options)
    {
        RuleFor(q => q.Page).InclusiveBetween(1, PagedResult.MaxPage); // (page - 1) * pageSize must not overflow
        RuleFor(q => q.PageSize).InclusiveBetween(1, options.Value.MaxPageSize);
        RuleFor(q => q.Number).MaximumLength(QuoteNumber.MaxLength);
        RuleFor(q => q.Status)
            .Must(s => SnakeCaseEnum.TryParse<QuoteStatus>(s, out _))
            .When(q => !string.IsNullOrEmpty(q.Status))
            .WithMessage($"'Status' must be one of: {SnakeCaseEnum.Names<QuoteStatus>()}.");
    }
}
