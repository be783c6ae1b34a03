using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.SubmitQuoteForApproval;

/// <summary>Submits a quote to WeCom (oa/applyevent) with its number as the quote-number control.</summary>
public sealed record SubmitQuoteForApprovalCommand(
    Guid QuoteId,
    string? CreatorUserId,
    IReadOnlyList<string>? ApproverUserIds,
    IReadOnlyList<string>? NotifyUserIds) : IRequest<QuoteSubmissionDto>;

internal sealed class SubmitQuoteForApprovalCommandHandler(
    IAppDbContext db,
    IDatabaseErrors errors,
    IWeComApi weCom,
    WeComCallBudget budget,
    SubmissionRecorder recorder,
    IOptions<WeComOptions> options,
    TimeProvider clock,
    ILogger<SubmitQuoteForApprovalCommandHandler> logger) : IRequestHandler<SubmitQuoteForApprovalCommand, QuoteSubmissionDto>
{
    public async Task<QuoteSubmissionDto> Handle(SubmitQuoteForApprovalCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.SubmissionConfigured)
        {
            throw new FeatureNotConfiguredException(
                "Submitting quotes needs WeCom:CorpId, WeCom:Secret and WeCom:Approval:TemplateId.");
        }

        var quote = await db.Quotes.Include(q => q.Approvals.Where(a => a.IsOpen)).SingleOrDefaultAsync(q => q.Id == command.QuoteId, cancellationToken)
                    ?? throw new NotFoundException(nameof(Quote), command.QuoteId);

        // applyevent has no idempotency key: the intent is stored first, and the open-approval index makes a
        // concurrent second submit fail here, before anything reaches WeCom.
        var approval = quote.RequestApproval(settings.Approval.TemplateId!, command.CreatorUserId!, clock.GetUtcNow());
        // Counted in the budget every instance shares, never refused by it: the sync leaves a reserve for submissions.
        // Before the intent, so that a failure to count leaves nothing behind.
        await budget.CountSubmissionAsync(cancellationToken);
        await SaveIntentAsync(cancellationToken);

        // From here on WeCom may hold a form: finish recording the outcome even if the caller goes away.
        string spNo;
        try
        {
            spNo = await weCom.ApplyEventAsync(ApplyEventRequests.For(command, quote, settings), CancellationToken.None);
        }
        catch (WeComApiException e) when (!e.IsTransient)
        {
            await recorder.AbandonAsync(quote, approval);
            throw new UpstreamRefusedException($"WeCom refused the approval: {e.ErrCode} {e.ErrMsg}", e.ErrCode, e);
        }
        catch (Exception e) when (e is WeComApiUnavailableException or WeComApiException { IsTransient: true })
        {
            // -1/45033 or no sp_no in the answer: WeCom may hold the form. Never resubmit blind (ADR-7).
            logger.LogWarning(e, "applyevent for quote {QuoteNumber} has an unknown outcome; reconciliation will settle it", quote.Number);
            return QuoteSubmissionDto.From(quote, approval);
        }

        (quote, approval) = await recorder.RecordSubmittedAsync(quote, approval, spNo);
        return QuoteSubmissionDto.From(quote, approval);
    }

    private async Task SaveIntentAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || errors.IsUniqueViolation(e))
        {
            throw new ConflictException("The quote is being submitted by another request.", e);
        }
    }
}
