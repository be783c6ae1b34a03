using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Domain.Customers;
using MediatR;

namespace CrmIntegration.Application.Customers.BatchAssignCustomers;

/// <summary>All or nothing: an unknown id fails the whole batch (404 listing the ids).</summary>
public sealed record BatchAssignCustomersCommand(IReadOnlyList<Guid> CustomerIds, Guid EmployeeId, Actor Actor)
    : IRequest<AssignmentResultDto>;

internal sealed class BatchAssignCustomersCommandHandler(BulkAssignment bulk)
    : IRequestHandler<BatchAssignCustomersCommand, AssignmentResultDto>
{
    public Task<AssignmentResultDto> Handle(BatchAssignCustomersCommand command, CancellationToken cancellationToken) =>
        bulk.AssignAsync(command.CustomerIds, command.EmployeeId, AssignmentChannel.Batch, command.Actor.Id, cancellationToken);
}
