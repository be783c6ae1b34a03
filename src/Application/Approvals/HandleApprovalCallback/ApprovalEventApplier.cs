using System.Linq.Expressions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Common;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Telemetry;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.HandleApprovalCallback;

/// <summary>
/// Applies one approval status event and records it once in the timeline: the use case behind HandleApprovalCallback,
/// also used by the sync and reconciliation (which read their events from WeCom's API).
/// </summary>
internal sealed class ApprovalEventApplier(
    IAppDbContext db,
    IDatabaseErrors errors,
    TimeProvider clock,
    IOptions<WeComOptions> options,
    CrmMetrics metrics,
    ILogger<ApprovalEventApplier> logger)
{
    // Each retry follows a change another request committed, and an approval has only a few possible moves.
    private const int MaxAttempts = 10;

    /// <summary>
    /// Applies the event; when another request changed the same quote or approval meanwhile (a concurrency token
    /// or the one-open-approval index refused the save), reads them again and applies the event to what is there now.
    /// </summary>
    /// <param name="alongside">
    /// Changes that must commit with the event (a stored callback recording how it ended), made just before the save
    /// with the timeline's outcome; again after a re-read.
    /// </param>
    public async Task<ApprovalEventResult> ApplyAsync(ApprovalEvent approvalEvent, TimelineSource source, CancellationToken cancellationToken,
        Func<TimelineOutcome, CancellationToken, Task>? alongside = null)
    {
        var command = new HandleApprovalCallbackCommand(approvalEvent, source);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await HandleOnceAsync(command, alongside, cancellationToken);
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || errors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxAttempts)
                {
                    throw new ConflictException($"Approval {command.Event.SpNo ?? command.Event.ThirdNo} kept changing; try again.", e);
                }

                logger.LogDebug("Approval {SpNo}/{ThirdNo} changed meanwhile; applying again", command.Event.SpNo, command.Event.ThirdNo);
            }
        }
    }

    private async Task<ApprovalEventResult> HandleOnceAsync(
        HandleApprovalCallbackCommand command, Func<TimelineOutcome, CancellationToken, Task>? alongside, CancellationToken cancellationToken)
    {
        var e = command.Event; // key: EventID if present, else a hash of the decrypted message (WeCom sends no id)
        if (await db.Timeline.AnyAsync(t => t.EventKey == e.Key, cancellationToken))
        {
            return ApprovalEventResult.AlreadyRecorded; // also how a concurrent twin that won the unique index ends
        }

        var now = clock.GetUtcNow();
        var (occurredAt, reported) = OrderingTime(e, now);
        var (approval, transition) = await ApplyAsync(command, occurredAt, now, cancellationToken);
        db.Timeline.Add(TimelineEvent.Record(e.Key, command.Source, e.EventName, e.Status, transition, approval,
            e.SpNo, e.ThirdNo, occurredAt, now, e.Payload, reported));
        if (alongside is not null)
        {
            await alongside(transition.Outcome, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        metrics.ApprovalEvent(SnakeCaseEnum.Name(command.Source), SnakeCaseEnum.Name(transition.Outcome));
        return new ApprovalEventResult(transition.Outcome, transition.Rule, approval?.QuoteId, Duplicate: false);
    }

    /// <summary>
    /// The time the event is ordered by: its own, unless that lies more than the tolerance after it reached us
    /// (a wrong clock or a forged CreateTime), then its receipt, with its own time kept for the timeline.
    /// </summary>
    private (DateTimeOffset OccurredAt, DateTimeOffset? Reported) OrderingTime(ApprovalEvent e, DateTimeOffset now)
    {
        var receivedAt = e.ReceivedAt ?? now;
        return e.OccurredAt > receivedAt + options.Value.Callback.FutureEventTolerance
            ? (receivedAt, e.OccurredAt)
            : (e.OccurredAt, null);
    }

    private async Task<(ApprovalInstance? Approval, ApprovalTransition Transition)> ApplyAsync(
        HandleApprovalCallbackCommand command, DateTimeOffset occurredAt, DateTimeOffset now, CancellationToken ct)
    {
        var e = command.Event with { OccurredAt = occurredAt };
        var (quote, approval) = await FindAsync(e, ct);
        var mayOpen = e.EventName == ApprovalEvent.OpenApprovalChange || command.Source == TimelineSource.Simulate;
        if (mayOpen && !string.IsNullOrEmpty(e.ThirdNo) && (approval is null || IsNewerApproval(approval, e)))
        {
            // The open-approval flow starts in the CRM frontend: its first callback is how we learn of it.
            quote ??= await LoadQuoteAsync(q => q.Number == e.ThirdNo, null, ct);
            if (quote is null)
            {
                return (null, new ApprovalTransition(TimelineOutcome.Unmatched));
            }

            if (quote.BrokenStartApprovalRule() is { } refused)
            {
                return (approval, new ApprovalTransition(TimelineOutcome.Stale, RuleNames.Of(refused)));
            }

            approval = quote.StartApproval(command.Source == TimelineSource.Simulate ? ApprovalKind.Open : KindOf(e), e.TemplateId, now);
            var opened = Apply(quote, approval, e, now);
            return (approval, opened.Outcome == TimelineOutcome.Unchanged ? ApprovalTransition.Applied : opened);
        }

        return quote is null || approval is null
            ? (null, new ApprovalTransition(TimelineOutcome.Unmatched))
            : (approval, Apply(quote, approval, e, now));
    }

    private static ApprovalTransition Apply(Quote quote, ApprovalInstance approval, ApprovalEvent e, DateTimeOffset now) =>
        e.Status is { } code && WeComApprovalStatus.Map(code) is { } status
            ? quote.ApplyApprovalStatus(approval, status, e.OccurredAt, now)
            : new ApprovalTransition(TimelineOutcome.Unchanged, "UnknownWeComStatus"); // recorded, never applied

    /// <summary>
    /// The event's approval, by ThirdNo first (the quote number; the open one, else the latest), then SpNo, with its
    /// quote as the root: loaded with its open approvals and this one, so the quote decides what may change.
    /// </summary>
    private async Task<(Quote? Quote, ApprovalInstance? Approval)> FindAsync(ApprovalEvent e, CancellationToken ct)
    {
        var found = string.IsNullOrEmpty(e.ThirdNo)
            ? null
            : await db.ApprovalInstances.AsNoTracking().Where(a => a.ThirdNo == e.ThirdNo)
                .OrderByDescending(a => a.IsOpen).ThenByDescending(a => a.SubmittedAt)
                .Select(a => new { a.Id, a.QuoteId }).FirstOrDefaultAsync(ct);
        if (found is null && !string.IsNullOrEmpty(e.SpNo))
        {
            found = await db.ApprovalInstances.AsNoTracking().Where(a => a.SpNo == e.SpNo)
                .Select(a => new { a.Id, a.QuoteId }).SingleOrDefaultAsync(ct);
        }

        if (found is null)
        {
            return (null, null);
        }

        var quote = await LoadQuoteAsync(q => q.Id == found.QuoteId, found.Id, ct);
        return (quote, quote?.Approvals.Single(a => a.Id == found.Id));
    }

    private Task<Quote?> LoadQuoteAsync(Expression<Func<Quote, bool>> which, Guid? approvalId, CancellationToken ct) =>
        db.Quotes.Include(q => q.Approvals.Where(a => a.IsOpen || a.Id == approvalId)).SingleOrDefaultAsync(which, ct);

    // A rejected or cancelled approval plus an event that happened after its last one: a resubmission, not a
    // late delivery. An approved one is not final (WeCom may still revoke it), and cannot be resubmitted.
    private static bool IsNewerApproval(ApprovalInstance latest, ApprovalEvent e) =>
        !latest.IsOpen && latest.Status != ApprovalStatus.Approved && e.OccurredAt > (latest.LastEventAt ?? latest.SubmittedAt);

    private static ApprovalKind KindOf(ApprovalEvent e) =>
        e.EventName == ApprovalEvent.SystemApprovalChange ? ApprovalKind.System : ApprovalKind.Open;
}
