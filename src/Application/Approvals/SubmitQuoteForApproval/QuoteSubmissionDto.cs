using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals.SubmitQuoteForApproval;

/// <summary>
/// The submitted approval. <see cref="Submission"/> "requested" means WeCom's answer was lost: the sync's
/// reconciliation will find the form (or abandon the attempt) before anything is submitted again.
/// </summary>
public sealed record QuoteSubmissionDto(
    Guid QuoteId,
    string QuoteNumber,
    QuoteStatus Status,
    ApprovalStatus? ApprovalStatus,
    Guid ApprovalId,
    string? SpNo,
    SubmissionState Submission)
{
    internal static QuoteSubmissionDto From(Quote quote, ApprovalInstance approval) =>
        new(quote.Id, quote.Number, quote.Status, quote.ApprovalStatus, approval.Id, approval.SpNo, approval.SubmissionState);
}
