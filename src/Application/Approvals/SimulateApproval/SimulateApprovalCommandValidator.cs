using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Approvals;
using FluentValidation;

namespace CrmIntegration.Application.Approvals.SimulateApproval;

internal sealed class SimulateApprovalCommandValidator : AbstractValidator<SimulateApprovalCommand>
{
    public SimulateApprovalCommandValidator()
    {
        RuleFor(c => c.QuoteNumber).NotEmpty().MaximumLength(QuoteNumber.MaxLength).OverridePropertyName("quote_number");
        RuleFor(c => c.Action).Must(a => SnakeCaseEnum.TryParse<ApprovalStatus>(a, out _))
            .WithMessage($"'action' must be one of: {SnakeCaseEnum.Names<ApprovalStatus>()}.").OverridePropertyName("action");
    }
}
