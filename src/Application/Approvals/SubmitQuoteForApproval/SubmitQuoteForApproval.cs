using System.Globalization;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Telemetry;
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
    IOptions<WeComOptions> options,
    TimeProvider clock,
    CrmMetrics metrics,
    ILogger<SubmitQuoteForApprovalCommandHandler> logger) : IRequestHandler<SubmitQuoteForApprovalCommand, QuoteSubmissionDto>
{
    private const int SummaryLineMaxLength = 20;
    private const int MaxRecordAttempts = 10;

    public async Task<QuoteSubmissionDto> Handle(SubmitQuoteForApprovalCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.SubmissionConfigured)
        {
            throw new FeatureNotConfiguredException(
                "Submitting quotes needs WeCom:CorpId, WeCom:Secret and WeCom:Approval:TemplateId.");
        }

        var quote = await db.Quotes.SingleOrDefaultAsync(q => q.Id == command.QuoteId, cancellationToken)
                    ?? throw new NotFoundException(nameof(Quote), command.QuoteId);
        var hasOpen = await db.ApprovalInstances.AnyAsync(a => a.QuoteId == quote.Id && a.IsOpen, cancellationToken);

        // applyevent has no idempotency key: the intent is stored first, and the open-approval index makes a
        // concurrent second submit fail here, before anything reaches WeCom.
        var approval = quote.RequestApproval(settings.Approval.TemplateId!, command.CreatorUserId!, hasOpen, clock.GetUtcNow());
        await SaveIntentAsync(cancellationToken);

        // From here on WeCom may hold a form: finish recording the outcome even if the caller goes away.
        string spNo;
        try
        {
            spNo = await weCom.ApplyEventAsync(BuildRequest(command, quote, settings), CancellationToken.None);
        }
        catch (WeComApiException e) when (!e.IsTransient)
        {
            await AbandonAsync(approval);
            throw new UpstreamRefusedException($"WeCom refused the approval: {e.ErrCode} {e.ErrMsg}", e.ErrCode, e);
        }
        catch (Exception e) when (e is WeComApiUnavailableException or WeComApiException { IsTransient: true })
        {
            // -1/45033 or no sp_no in the answer: WeCom may hold the form. Never resubmit blind (ADR-7).
            logger.LogWarning(e, "applyevent for quote {QuoteNumber} has an unknown outcome; reconciliation will settle it", quote.Number);
            return QuoteSubmissionDto.From(quote, approval);
        }

        approval = await RecordSubmittedAsync(approval, spNo);
        return QuoteSubmissionDto.From(approval.Quote, approval);
    }

    /// <summary>
    /// Ties WeCom's form to the quote whatever happened meanwhile: a callback, a simulated event or the sync's
    /// reconciliation may have changed the quote or the approval while applyevent was answering. On a concurrent
    /// change the approval is read again and the sp_no applied to what is there now; a form is never orphaned.
    /// </summary>
    private async Task<ApprovalInstance> RecordSubmittedAsync(ApprovalInstance approval, string spNo)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (approval.SubmissionState == SubmissionState.Submitted && approval.SpNo == spNo)
            {
                return approval; // the sync's reconciliation found the form first and recorded it
            }

            if (approval.SubmissionState != SubmissionState.Requested)
            {
                // Abandoned meanwhile (its grace period ran out): the next reconciliation adopts the form by its number.
                logger.LogWarning("Quote {QuoteNumber}: WeCom answered sp_no {SpNo} after the submission was {State}; reconciliation adopts it",
                    approval.ThirdNo, spNo, approval.SubmissionState);
                return approval;
            }

            var now = clock.GetUtcNow();
            var transition = approval.ConfirmSubmitted(spNo, now);
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

                return approval;
            }
            catch (DbUpdateException e) when (attempt < MaxRecordAttempts && (e is DbUpdateConcurrencyException || errors.IsUniqueViolation(e)))
            {
                logger.LogInformation("Quote {QuoteNumber} changed while WeCom answered; recording sp_no {SpNo} again", approval.ThirdNo, spNo);
                db.ChangeTracker.Clear();
                approval = await db.ApprovalInstances.Include(a => a.Quote).SingleAsync(a => a.Id == approval.Id, CancellationToken.None);
            }
        }
    }

    // WeCom refused: no form exists, so the intent closes, re-read and closed again if an event changed it meanwhile.
    private async Task AbandonAsync(ApprovalInstance approval)
    {
        for (var attempt = 1; approval.SubmissionState == SubmissionState.Requested; attempt++)
        {
            approval.AbandonSubmission(clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxRecordAttempts)
            {
                db.ChangeTracker.Clear();
                approval = await db.ApprovalInstances.Include(a => a.Quote).SingleAsync(a => a.Id == approval.Id, CancellationToken.None);
            }
        }
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

    private static ApplyEventRequest BuildRequest(SubmitQuoteForApprovalCommand command, Quote quote, WeComOptions settings)
    {
        var controls = settings.Approval.Controls;
        var amount = quote.Amount.ToString("0.00", CultureInfo.InvariantCulture);
        var contents = new List<ApplyControl> { new("Text", controls.QuoteNumber!, quote.Number) };
        AddIfSet(contents, "Text", controls.Title, quote.Title);
        AddIfSet(contents, "Text", controls.Customer, quote.CustomerName);
        AddIfSet(contents, "Money", controls.Amount, amount);
        var approvers = command.ApproverUserIds ?? [];
        return new ApplyEventRequest(
            command.CreatorUserId!,
            settings.Approval.TemplateId!,
            UseTemplateApprover: approvers.Count == 0 && settings.Approval.UseTemplateApprover,
            approvers,
            command.NotifyUserIds ?? [],
            contents,
            [Cut($"报价 {quote.Number}"), Cut($"金额 {amount} {quote.Currency}")]);
    }

    private static void AddIfSet(List<ApplyControl> contents, string control, string? id, string value)
    {
        if (!string.IsNullOrWhiteSpace(id))
        {
            contents.Add(new ApplyControl(control, id, value));
        }
    }

    // summary_list lines are at most 20 characters (docs/wecom.md §5.1).
    private static string Cut(string line) => line.Length <= SummaryLineMaxLength ? line : line[..SummaryLineMaxLength];
}
