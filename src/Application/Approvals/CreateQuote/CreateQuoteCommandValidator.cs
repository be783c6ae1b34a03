using CrmIntegration.Domain.Approvals;
using FluentValidation;

namespace CrmIntegration.Application.Approvals.CreateQuote;

internal sealed class CreateQuoteCommandValidator : AbstractValidator<CreateQuoteCommand>
{
    public CreateQuoteCommandValidator()
    {
        RuleFor(c => c.Title).NotEmpty().MaximumLength(Quote.TitleMaxLength); // NotEmpty refuses blanks too
        RuleFor(c => c.CustomerName).NotEmpty().MaximumLength(Quote.CustomerNameMaxLength);
        RuleFor(c => c.Amount).GreaterThan(0).LessThanOrEqualTo(Quote.MaxAmount).PrecisionScale(15, 2, ignoreTrailingZeros: true);
        RuleFor(c => c.Currency).NotEmpty().Matches("^[A-Za-z]{3}$")
            .WithMessage("'Currency' must be a three-letter ISO 4217 code, such as CNY.");
    }
}
