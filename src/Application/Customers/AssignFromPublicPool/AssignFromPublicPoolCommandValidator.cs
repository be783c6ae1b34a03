using CrmIntegration.Application.Customers.Assignments;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.AssignFromPublicPool;

internal sealed class AssignFromPublicPoolCommandValidator : AbstractValidator<AssignFromPublicPoolCommand>
{
    public AssignFromPublicPoolCommandValidator(IOptions<CustomersOptions> options)
    {
        RuleFor(c => c.CustomerIds).ValidCustomerIds(options.Value.MaxBatchSize);
        RuleFor(c => c.EmployeeId).NotEmpty();
        RuleFor(c => c.Actor.Id).NotEmpty();
    }
}
