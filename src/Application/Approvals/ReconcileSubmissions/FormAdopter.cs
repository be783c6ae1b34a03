using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.ReconcileSubmissions;

internal enum AdoptionResult
{
    Tied,
    Unmatched,
    Failed,
}

/// <summary>
/// Ties a form of our template that we do not know to its quote, by the quote-number control: the submission whose
/// applyevent answer was lost (open, or already moved on by an event that found it by its number), or, when the quote
/// has no open approval, a new approval adopted from WeCom. Recorded once in the timeline as <c>reconcile:{sp_no}</c>.
/// </summary>
internal sealed class FormAdopter(
    IAppDbContext db,
    IDatabaseErrors errors,
    ApprovalEventApplier applier,
    IOptions<WeComOptions> options,
    TimeProvider clock,
    CrmMetrics metrics,
    ILogger<FormAdopter> logger)
{
    public static string ReconcileKey(string spNo) => $"reconcile:{spNo}";

    public async Task<AdoptionResult> AdoptAsync(ApprovalDetail detail, CancellationToken ct)
    {
        try
        {
            return await TieAsync(detail, ct);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || errors.IsUniqueViolation(e))
        {
            // Another instance adopted it (or changed the approval) meanwhile: the next sweep looks again.
            logger.LogWarning("Reconciling form {SpNo} failed ({Reason}); next run tries again", detail.SpNo, e.GetType().Name);
            return AdoptionResult.Failed;
        }
        catch (DbUpdateException e)
        {
            // The store refused: a fault (EF's own failed-command log is Debug, ADR-14).
            logger.LogError(e, "Reconciling form {SpNo} failed in the database; next run tries again", detail.SpNo);
            return AdoptionResult.Failed;
        }
    }

    private async Task<AdoptionResult> TieAsync(ApprovalDetail detail, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var number = options.Value.Approval.Controls.QuoteNumber is { } control && detail.ControlValues.TryGetValue(control, out var value)
                     && QuoteNumber.LooksLikeQuoteNumber(value.Trim())
            ? value.Trim()
            : null; // anyone can type anything into a form of our template
        // The quote as the root, with its open approvals and its requested one (the submission whose applyevent answer
        // was lost: open, or already moved on by an event that arrived meanwhile and found it by its number).
        var quote = number is null
            ? null
            : await db.Quotes.Include(q => q.Approvals.Where(a => a.IsOpen || a.SubmissionState == SubmissionState.Requested))
                .SingleOrDefaultAsync(q => q.Number == number, ct);
        ApprovalInstance? approval = null;
        var transition = new ApprovalTransition(TimelineOutcome.Unmatched);
        if (quote is not null)
        {
            var requested = quote.Approvals.Where(a => a.SubmissionState == SubmissionState.Requested)
                .OrderByDescending(a => a.SubmittedAt).FirstOrDefault();
            if (requested is not null)
            {
                transition = quote.ConfirmSubmission(requested, detail.SpNo, now);
                approval = requested;
            }
            else if (quote.BrokenStartApprovalRule() is null)
            {
                approval = quote.AdoptForm(detail.TemplateId, detail.SpNo, now);
                transition = ApprovalTransition.Applied;
            }
        }

        db.Timeline.Add(TimelineEvent.Record(ReconcileKey(detail.SpNo), TimelineSource.Sync, "reconcile", detail.SpStatus,
            transition, approval, detail.SpNo, number, now, now, detail.RawJson));
        await db.SaveChangesAsync(ct);
        metrics.ApprovalEvent(SnakeCaseEnum.Name(TimelineSource.Sync), SnakeCaseEnum.Name(transition.Outcome));
        if (approval is null)
        {
            logger.LogInformation("Form {SpNo} of our template matches no quote awaiting approval ({QuoteNumber})", detail.SpNo, number);
            return AdoptionResult.Unmatched;
        }

        if (detail.SpStatus != WeComApprovalStatus.Pending)
        {
            await applier.ApplyAsync(new ApprovalEvent($"sync:{approval.Id:N}:{detail.SpStatus}", "sync_approval_detail", detail.SpNo, null,
                detail.SpStatus, null, detail.TemplateId, now, detail.RawJson), TimelineSource.Sync, ct);
        }

        return AdoptionResult.Tied;
    }
}
