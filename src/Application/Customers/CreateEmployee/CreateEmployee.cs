using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Customers.GetEmployee;
using CrmIntegration.Domain.Customers;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.CreateEmployee;

public sealed record CreateEmployeeCommand(string Name, string WeComUserId, string? MiniProgramOpenId) : IRequest<EmployeeDto>;

internal sealed class CreateEmployeeCommandHandler(IAppDbContext db, IDatabaseErrors errors, IMapper mapper, TimeProvider clock)
    : IRequestHandler<CreateEmployeeCommand, EmployeeDto>
{
    public async Task<EmployeeDto> Handle(CreateEmployeeCommand command, CancellationToken cancellationToken)
    {
        var employee = Employee.Create(command.Name, command.WeComUserId, command.MiniProgramOpenId, clock.GetUtcNow());
        db.Employees.Add(employee);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (errors.IsUniqueViolation(e))
        {
            throw new ConflictException($"An employee with WeCom userid '{employee.WeComUserId}' already exists.", e);
        }

        return mapper.Map<EmployeeDto>(employee);
    }
}
