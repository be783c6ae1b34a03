using FluentValidation;

namespace CrmIntegration.Application.Approvals.SubmitQuoteForApproval;

internal sealed class SubmitQuoteForApprovalCommandValidator : AbstractValidator<SubmitQuoteForApprovalCommand>
{
    // WeCom userids: letters, digits and _-.@ (up to 64).
    private const string UserIdPattern = "^[A-Za-z0-9_.@-]{1,64}$";

    public SubmitQuoteForApprovalCommandValidator()
    {
        RuleFor(c => c.CreatorUserId).NotEmpty()
            .WithMessage("'creatorUserId' is required when the token has no wecom_userid claim.")
            .Matches(UserIdPattern).OverridePropertyName("creatorUserId");
        RuleFor(c => c.ApproverUserIds).Must(ids => ids!.Count <= 50).When(c => c.ApproverUserIds is not null)
            .OverridePropertyName("approverUserIds");
        RuleForEach(c => c.ApproverUserIds).Matches(UserIdPattern).OverridePropertyName("approverUserIds");
        RuleFor(c => c.NotifyUserIds).Must(ids => ids!.Count <= 50).When(c => c.NotifyUserIds is not null)
            .OverridePropertyName("notifyUserIds");
        RuleForEach(c => c.NotifyUserIds).Matches(UserIdPattern).OverridePropertyName("notifyUserIds");
    }
}
