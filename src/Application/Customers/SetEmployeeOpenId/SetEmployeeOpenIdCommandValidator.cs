using FluentValidation;

namespace CrmIntegration.Application.Customers.SetEmployeeOpenId;

internal sealed class SetEmployeeOpenIdCommandValidator : AbstractValidator<SetEmployeeOpenIdCommand>
{
    public SetEmployeeOpenIdCommandValidator()
    {
        RuleFor(c => c.EmployeeId).NotEmpty();
        RuleFor(c => c.MiniProgramOpenId).SetValidator(new OpenIdValidator()!);
    }
}
