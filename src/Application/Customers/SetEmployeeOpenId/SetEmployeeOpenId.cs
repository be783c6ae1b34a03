using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Customers.GetEmployee;
using CrmIntegration.Domain.Customers;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.SetEmployeeOpenId;

/// <summary>Sets the employee's mini-program openid; null or empty clears it.</summary>
public sealed record SetEmployeeOpenIdCommand(Guid EmployeeId, string? MiniProgramOpenId) : IRequest<EmployeeDto>;

internal sealed class SetEmployeeOpenIdCommandHandler(IAppDbContext db, IMapper mapper)
    : IRequestHandler<SetEmployeeOpenIdCommand, EmployeeDto>
{
    public async Task<EmployeeDto> Handle(SetEmployeeOpenIdCommand command, CancellationToken cancellationToken)
    {
        var employee = await db.Employees.SingleOrDefaultAsync(e => e.Id == command.EmployeeId, cancellationToken)
            ?? throw new NotFoundException(nameof(Employee), command.EmployeeId);
        employee.SetMiniProgramOpenId(command.MiniProgramOpenId);
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<EmployeeDto>(employee);
    }
}
