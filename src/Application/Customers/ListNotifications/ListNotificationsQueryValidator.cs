using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Customers;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.ListNotifications;

internal sealed class ListNotificationsQueryValidator : AbstractValidator<ListNotificationsQuery>
{
    public ListNotificationsQueryValidator(IOptions<CustomersOptions> options)
    {
        RuleFor(q => q.Page).InclusiveBetween(1, PagedResult.MaxPage); // (page - 1) * pageSize must not overflow
        RuleFor(q => q.PageSize).InclusiveBetween(1, options.Value.MaxPageSize);
        RuleFor(q => q.Status)
            .Must(s => SnakeCaseEnum.TryParse<NotificationStatus>(s, out _))
            .When(q => !string.IsNullOrEmpty(q.Status))
            .WithMessage($"'Status' must be one of: {SnakeCaseEnum.Names<NotificationStatus>()}.");
    }
}
