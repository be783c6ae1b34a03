using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Customers.ListNotifications;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;
using Mapster;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.RetryNotification;

/// <summary>An admin replays an undelivered notification (dead, failed, unconfirmed, not subscribed, no openid then).</summary>
public sealed record RetryNotificationCommand(Guid NotificationId) : IRequest<NotificationDto>;

internal sealed class RetryNotificationCommandHandler(IAppDbContext db, IWorkSignals signals, TypeAdapterConfig mapping, TimeProvider clock)
    : IRequestHandler<RetryNotificationCommand, NotificationDto>
{
    public async Task<NotificationDto> Handle(RetryNotificationCommand command, CancellationToken cancellationToken)
    {
        var notification = await db.Notifications.SingleOrDefaultAsync(n => n.Id == command.NotificationId, cancellationToken)
            ?? throw new NotFoundException("Notification", command.NotificationId);
        notification.Requeue(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException e)
        {
            // Another retry (or the dispatcher) changed the row since it was read: exactly one retry wins.
            throw new ConflictException($"Notification {command.NotificationId} changed meanwhile (retried by another request or being sent).", e);
        }

        signals.Notify(WorkKind.EmployeeNotifications);
        return notification.Adapt<NotificationDto>(mapping);
    }
}
