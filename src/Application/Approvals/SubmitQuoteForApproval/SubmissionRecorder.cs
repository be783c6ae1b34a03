using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Application.Approvals.SubmitQuoteForApproval;

/// <summary>Records what WeCom answered to a submission, on the quote (the root), re-reading it after a concurrent change.</summary>
internal sealed class SubmissionRecorder(
    IAppDbContext db,
    IDatabaseErrors errors,
    TimeProvider clock,
    CrmMetrics metrics,
    ILogger<SubmissionRecorder> logger)
{
    private const int MaxRecordAttempts = 10;

    /// <summary>
    /// Ties WeCom's form to the quote whatever happened meanwhile: a callback, a simulated event or the sync's
    /// reconciliation may have changed the quote or the approval while applyevent was answering. On a concurrent
    /// change the approval is read again and the sp_no applied to what is there now; a form is never orphaned.
    /// </summary>
    public async Task<(Quote Quote, ApprovalInstance Approval)> RecordSubmittedAsync(Quote quote, ApprovalInstance approval, string spNo)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (approval.SubmissionState == SubmissionState.Submitted && approval.SpNo == spNo)
            {
                return (quote, approval); // the sync's reconciliation found the form first and recorded it
            }

            if (approval.SubmissionState != SubmissionState.Requested)
            {
                // Abandoned meanwhile (its grace period ran out): the next reconciliation adopts the form by its number.
                logger.LogWarning("Quote {QuoteNumber}: WeCom answered sp_no {SpNo} after the submission was {State}; reconciliation adopts it",
                    approval.ThirdNo, spNo, approval.SubmissionState);
                return (quote, approval);
            }

            var now = clock.GetUtcNow();
            var transition = quote.ConfirmSubmission(approval, spNo, now);
            var key = $"submit:{spNo}";
            var recorded = !await db.Timeline.AnyAsync(t => t.EventKey == key, CancellationToken.None);
            if (recorded)
            {
                db.Timeline.Add(TimelineEvent.Record(key, TimelineSource.Submit, "applyevent", WeComApprovalStatus.Pending,
                    transition, approval, spNo, approval.ThirdNo, now, now, payload: null));
            }

            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                if (recorded)
                {
                    metrics.ApprovalEvent(SnakeCaseEnum.Name(TimelineSource.Submit), SnakeCaseEnum.Name(transition.Outcome));
                }

                return (quote, approval);
            }
            catch (DbUpdateException e) when (attempt < MaxRecordAttempts && (e is DbUpdateConcurrencyException || errors.IsUniqueViolation(e)))
            {
                logger.LogInformation("Quote {QuoteNumber} changed while WeCom answered; recording sp_no {SpNo} again", approval.ThirdNo, spNo);
                (quote, approval) = await ReloadAsync(quote, approval);
            }
        }
    }

    // WeCom refused: no form exists, so the intent closes, re-read and closed again if an event changed it meanwhile.
    public async Task AbandonAsync(Quote quote, ApprovalInstance approval)
    {
        for (var attempt = 1; approval.SubmissionState == SubmissionState.Requested; attempt++)
        {
            quote.AbandonSubmission(approval, clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxRecordAttempts)
            {
                (quote, approval) = await ReloadAsync(quote, approval);
            }
        }
    }

    private async Task<(Quote Quote, ApprovalInstance Approval)> ReloadAsync(Quote quote, ApprovalInstance approval)
    {
        db.ChangeTracker.Clear();
        var approvalId = approval.Id;
        var reloaded = await db.Quotes.Include(q => q.Approvals.Where(a => a.Id == approvalId || a.IsOpen))
            .SingleAsync(q => q.Id == quote.Id, CancellationToken.None);
        return (reloaded, reloaded.Approvals.Single(a => a.Id == approvalId));
    }
}
