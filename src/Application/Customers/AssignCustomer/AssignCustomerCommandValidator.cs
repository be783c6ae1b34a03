using CrmIntegration.Domain.Customers;
using FluentValidation;

namespace CrmIntegration.Application.Customers.AssignCustomer;

internal sealed class AssignCustomerCommandValidator : AbstractValidator<AssignCustomerCommand>
{
    public AssignCustomerCommandValidator()
    {
        RuleFor(c => c.CustomerId).NotEmpty();
        RuleFor(c => c.EmployeeId).NotEmpty();
        RuleFor(c => c.Channel).Must(c => c is AssignmentChannel.Web or AssignmentChannel.Miniprogram)
            .WithMessage("A single assignment comes through the web or the mini-program.");
        RuleFor(c => c.Actor.Id).NotEmpty();
    }
}
