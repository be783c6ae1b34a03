using CrmIntegration.Domain.Approvals;
using FluentValidation;

namespace CrmIntegration.Application.Approvals.HandleApprovalCallback;

internal sealed class HandleApprovalCallbackCommandValidator : AbstractValidator<HandleApprovalCallbackCommand>
{
    public HandleApprovalCallbackCommandValidator()
    {
        RuleFor(c => c.Event.Key).NotEmpty().MaximumLength(TimelineEvent.EventKeyMaxLength);
        RuleFor(c => c.Event.EventName).NotEmpty().MaximumLength(TimelineEvent.EventNameMaxLength);
        RuleFor(c => c.Event.SpNo).MaximumLength(ApprovalInstance.SpNoMaxLength);
        RuleFor(c => c.Event.ThirdNo).MaximumLength(QuoteNumber.MaxLength);
        RuleFor(c => c.Event.TemplateId).MaximumLength(ApprovalInstance.TemplateIdMaxLength);
        RuleFor(c => c.Source).IsInEnum();
    }
}
