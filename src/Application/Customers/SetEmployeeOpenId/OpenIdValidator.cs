using CrmIntegration.Domain.Customers;
using FluentValidation;

namespace CrmIntegration.Application.Customers.SetEmployeeOpenId;

/// <summary>An openid is letters, digits, '-' and '_' (28 characters today); null or empty means none.</summary>
internal sealed class OpenIdValidator : AbstractValidator<string?>
{
    public OpenIdValidator()
    {
        RuleFor(o => o).Matches("^[A-Za-z0-9_-]+$").MaximumLength(Employee.OpenIdMaxLength)
            .When(o => !string.IsNullOrEmpty(o))
            .WithName("MiniProgramOpenId")
            .WithMessage($"'MiniProgramOpenId' must be 1-{Employee.OpenIdMaxLength} letters, digits, '-' or '_'.");
    }
}
