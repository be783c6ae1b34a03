using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Domain.Customers;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.AssignFromPublicPool;

/// <summary>
/// Takes customers out of the public pool. Managers and admins assign to anyone; a sales caller only to
/// the employee its <c>wecom_userid</c> claim names. A customer no longer in the pool fails the whole
/// request (409 listing the ids); of two concurrent claims of one customer exactly one wins.
/// </summary>
public sealed record AssignFromPublicPoolCommand(IReadOnlyList<Guid> CustomerIds, Guid EmployeeId, Actor Actor)
    : IRequest<AssignmentResultDto>;

internal sealed class AssignFromPublicPoolCommandHandler(IAppDbContext db, BulkAssignment bulk)
    : IRequestHandler<AssignFromPublicPoolCommand, AssignmentResultDto>
{
    public async Task<AssignmentResultDto> Handle(AssignFromPublicPoolCommand command, CancellationToken cancellationToken)
    {
        if (!command.Actor.IsManager)
        {
            var self = string.IsNullOrEmpty(command.Actor.WeComUserId)
                ? null
                : await db.Employees.AsNoTracking().Where(e => e.WeComUserId == command.Actor.WeComUserId)
                    .Select(e => (Guid?)e.Id).SingleOrDefaultAsync(cancellationToken);
            if (self is null)
            {
                throw new ForbiddenAccessException("Your token's wecom_userid names no employee; ask a manager to assign.");
            }

            if (self != command.EmployeeId)
            {
                throw new ForbiddenAccessException("Sales may claim public-pool customers only for themselves.");
            }
        }

        return await bulk.AssignAsync(command.CustomerIds, command.EmployeeId, AssignmentChannel.PublicPool, command.Actor.Id, cancellationToken);
    }
}
