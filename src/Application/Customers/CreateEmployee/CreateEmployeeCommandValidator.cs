using CrmIntegration.Domain.Customers;
using CrmIntegration.Application.Customers.SetEmployeeOpenId;
using FluentValidation;

namespace CrmIntegration.Application.Customers.CreateEmployee;

internal sealed class CreateEmployeeCommandValidator : AbstractValidator<CreateEmployeeCommand>
{
    public CreateEmployeeCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Employee.NameMaxLength);
        RuleFor(c => c.WeComUserId).NotEmpty().MaximumLength(Employee.WeComUserIdMaxLength);
        RuleFor(c => c.MiniProgramOpenId).SetValidator(new OpenIdValidator()!);
    }
}
