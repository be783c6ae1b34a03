using CrmIntegration.Application.Customers.Assignments;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.BatchAssignCustomers;

internal sealed class BatchAssignCustomersCommandValidator : AbstractValidator<BatchAssignCustomersCommand>
{
    public BatchAssignCustomersCommandValidator(IOptions<CustomersOptions> options)
    {
        RuleFor(c => c.CustomerIds).ValidCustomerIds(options.Value.MaxBatchSize);
        RuleFor(c => c.EmployeeId).NotEmpty();
        RuleFor(c => c.Actor.Id).NotEmpty();
    }
}
