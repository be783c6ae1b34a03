using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals.GetQuote;

public sealed record QuoteDto
{
    public Guid Id { get; init; }

    public string Number { get; init; } = "";

    public string Title { get; init; } = "";

    public string CustomerName { get; init; } = "";

    public decimal Amount { get; init; }

    public string Currency { get; init; } = "";

    public QuoteStatus Status { get; init; }

    public ApprovalStatus? ApprovalStatus { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
