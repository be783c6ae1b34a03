using CrmIntegration.Domain.Customers;
using FluentValidation;

namespace CrmIntegration.Application.Customers.CreateCustomer;

internal sealed class CreateCustomerCommandValidator : AbstractValidator<CreateCustomerCommand>
{
    public CreateCustomerCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Customer.NameMaxLength);
        RuleFor(c => c.Company).NotNull().MaximumLength(Customer.CompanyMaxLength);
        RuleFor(c => c.Phone).NotNull().MaximumLength(Customer.PhoneMaxLength)
            .Matches(@"^[0-9+\-() ]*$").WithMessage("'Phone' may hold digits, spaces and + - ( ) only.");
    }
}
