using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Customers;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.ListNotifications;

/// <summary><see cref="Status"/> is the API's word (e.g. "not_subscribed"); the validator checks it.</summary>
public sealed record ListNotificationsQuery(string? Status, Guid? EmployeeId, int Page = 1, int PageSize = 20)
    : IRequest<PagedResult<NotificationDto>>;

internal sealed class ListNotificationsQueryHandler(IAppDbContext db, TypeAdapterConfig mapping)
    : IRequestHandler<ListNotificationsQuery, PagedResult<NotificationDto>>
{
    public async Task<PagedResult<NotificationDto>> Handle(ListNotificationsQuery query, CancellationToken cancellationToken)
    {
        var notifications = db.Notifications.AsNoTracking();
        if (SnakeCaseEnum.TryParse<NotificationStatus>(query.Status, out var status))
        {
            notifications = notifications.Where(n => n.Status == status);
        }

        if (query.EmployeeId is { } employeeId)
        {
            notifications = notifications.Where(n => n.EmployeeId == employeeId);
        }

        var total = await notifications.CountAsync(cancellationToken);
        var items = await notifications.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ProjectToType<NotificationDto>(mapping).ToListAsync(cancellationToken);
        return new PagedResult<NotificationDto>(items, query.Page, query.PageSize, total);
    }
}
