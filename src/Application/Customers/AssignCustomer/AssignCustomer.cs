using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.AssignCustomer;

/// <summary>Assigns one customer (web or mini-program channel) and queues one notification for the new owner.</summary>
public sealed record AssignCustomerCommand(Guid CustomerId, Guid EmployeeId, AssignmentChannel Channel, Actor Actor)
    : IRequest<AssignmentResultDto>;

internal sealed class AssignCustomerCommandHandler(IAppDbContext db, IWorkSignals signals, TimeProvider clock, CrmMetrics metrics)
    : IRequestHandler<AssignCustomerCommand, AssignmentResultDto>
{
    public async Task<AssignmentResultDto> Handle(AssignCustomerCommand command, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == command.CustomerId, cancellationToken)
            ?? throw new NotFoundException(nameof(Customer), command.CustomerId);
        if (!await db.Employees.AnyAsync(e => e.Id == command.EmployeeId, cancellationToken))
        {
            throw new NotFoundException(nameof(Employee), command.EmployeeId);
        }

        var now = clock.GetUtcNow();
        var operationId = Guid.CreateVersion7(now);
        var history = customer.AssignTo(command.EmployeeId, command.Channel, command.Actor.Id, operationId, now);
        if (history is null)
        {
            return new AssignmentResultDto(operationId, command.EmployeeId, 0, 1, null);
        }

        db.AssignmentHistory.Add(history);
        var notification = EmployeeNotification.ForSingle(command.EmployeeId, operationId, command.Channel, customer.Id, customer.Name, now);
        db.Notifications.Add(notification);
        try
        {
            await db.SaveChangesAsync(cancellationToken); // customer, history and outbox row: one transaction
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new ConflictException("The customer changed meanwhile; read it again and retry.", e);
        }

        signals.Notify(WorkKind.EmployeeNotifications);
        metrics.CustomersAssigned(SnakeCaseEnum.Name(command.Channel), 1);
        return new AssignmentResultDto(operationId, command.EmployeeId, 1, 0, notification.Id);
    }
}
