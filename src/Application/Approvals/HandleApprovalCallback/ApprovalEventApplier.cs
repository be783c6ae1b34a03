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
    ApprovalLookup lookup,
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
    public async Task<ApprovalEventResult> ApplyAsync(ApprovalEvent approvalEvent, TimelineSource source, CancellationToken cancellationToken)
    {
        var result = await ApplyUncountedAsync(approvalEvent, source, cancellationToken);
        Count(source, result);
        return result;
    }

    /// <summary>
    /// <see cref="ApplyAsync"/> for a caller whose transaction commits later (a batch of stored callbacks): it calls
    /// <see cref="Count"/> once that commit is done, so a batch that rolls back and runs again is counted once.
    /// </summary>
    /// <param name="alongside">
    /// Changes that must commit with the event (a stored callback recording how it ended), made just before the save
    /// with the timeline's outcome; again after a re-read.
    /// </param>
    public async Task<ApprovalEventResult> ApplyUncountedAsync(ApprovalEvent approvalEvent, TimelineSource source, CancellationToken cancellationToken,
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
                lookup.Forget();
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
        if (await lookup.IsRecordedAsync(e.Key, cancellationToken))
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
        lookup.Recorded(e.Key);
        return new ApprovalEventResult(transition.Outcome, transition.Rule, approval?.QuoteId, Duplicate: false);
    }

    /// <summary>Counts an applied event in the metrics (a duplicate changed nothing and is not counted).</summary>
    public void Count(TimelineSource source, ApprovalEventResult result)
    {
        if (result.Outcome is { } outcome)
        {
            metrics.ApprovalEvent(SnakeCaseEnum.Name(source), SnakeCaseEnum.Name(outcome));
        }
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
        var (quote, approval) = await lookup.FindAsync(e, ct);
        var mayOpen = e.EventName == ApprovalEvent.OpenApprovalChange || command.Source == TimelineSource.Simulate;
        if (mayOpen && !string.IsNullOrEmpty(e.ThirdNo) && (approval is null || IsNewerApproval(approval, e)))
        {
            // The open-approval flow starts in the CRM frontend: its first callback is how we learn of it.
            quote ??= await lookup.FindQuoteAsync(e.ThirdNo, ct);
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

    // A rejected or cancelled approval plus an event that happened after its last one: a resubmission, not a
    // late delivery. An approved one is not final (WeCom may still revoke it), and cannot be resubmitted.
    private static bool IsNewerApproval(ApprovalInstance latest, ApprovalEvent e) =>
        !latest.IsOpen && latest.Status != ApprovalStatus.Approved && e.OccurredAt > (latest.LastEventAt ?? latest.SubmittedAt);

    private static ApprovalKind KindOf(ApprovalEvent e) =>
        e.EventName == ApprovalEvent.SystemApprovalChange ? ApprovalKind.System : ApprovalKind.Open;
}
