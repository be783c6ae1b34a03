using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Customers.GetCustomer;
using CrmIntegration.Domain.Customers;
using MapsterMapper;
using MediatR;

namespace CrmIntegration.Application.Customers.CreateCustomer;

public sealed record CreateCustomerCommand(string Name, string Company, string Phone, bool? InPublicPool) : IRequest<CustomerDto>;

internal sealed class CreateCustomerCommandHandler(IAppDbContext db, IMapper mapper, TimeProvider clock)
    : IRequestHandler<CreateCustomerCommand, CustomerDto>
{
    public async Task<CustomerDto> Handle(CreateCustomerCommand command, CancellationToken cancellationToken)
    {
        var customer = Customer.Create(command.Name, command.Company, command.Phone, command.InPublicPool ?? false, clock.GetUtcNow());
        db.Customers.Add(customer);
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<CustomerDto>(customer);
    }
}
