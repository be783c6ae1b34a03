using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.SyncPendingApprovals;

/// <summary>
/// The compensation sync: re-reads every open approval from WeCom and applies its status through the same path
/// as callbacks (source <c>sync</c>), then sweeps getapprovalinfo for forms whose submit answer or callbacks were lost.
/// </summary>
public sealed record SyncPendingApprovalsCommand : IRequest<SyncReport>;

internal sealed class SyncPendingApprovalsCommandHandler(
    IAppDbContext db,
    IDatabaseErrors errors,
    IWeComApi weCom,
    IServiceScopeFactory scopes,
    IOptions<WeComOptions> options,
    TimeProvider clock,
    CrmMetrics metrics,
    ILogger<SyncPendingApprovalsCommandHandler> logger) : IRequestHandler<SyncPendingApprovalsCommand, SyncReport>
{
    private readonly WeComOptions _settings = options.Value;
    private int _synced;
    private int _changed;
    private int _reconciled;
    private int _abandoned;
    private int _failed;

    public async Task<SyncReport> Handle(SyncPendingApprovalsCommand command, CancellationToken cancellationToken)
    {
        if (!_settings.ApiConfigured)
        {
            throw new FeatureNotConfiguredException("The approval sync needs WeCom:CorpId and WeCom:Secret.");
        }

        var budget = new CallBudget(_settings.Sync.MaxCallsPerMinute);
        var rateLimited = false;
        try
        {
            await SyncOpenApprovalsAsync(budget, cancellationToken);
            if (_settings.SubmissionConfigured)
            {
                await ReconcileAsync(budget, cancellationToken);
            }
        }
        catch (WeComApiException e) when (e.IsRateLimited)
        {
            rateLimited = true; // back off: the rest waits for a later run
            logger.LogWarning("WeCom rate limit ({ErrCode}) during sync; stopping this run", e.ErrCode);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.SyncRun(CrmMetrics.SyncResults.Failed, clock.GetUtcNow()); // the caller logs it
            throw;
        }

        metrics.SyncRun(rateLimited || _failed > 0 ? CrmMetrics.SyncResults.Partial : CrmMetrics.SyncResults.Ok, clock.GetUtcNow());
        return new SyncReport(_synced, _changed, _reconciled, _abandoned, _failed, budget.Used, rateLimited);
    }

    // Small claims: every approval claimed is read well inside its lease, so no other instance reads it meanwhile.
    private const int ClaimBatch = 10;

    private async Task SyncOpenApprovalsAsync(CallBudget budget, CancellationToken ct)
    {
        while (!budget.Exhausted)
        {
            var claimed = await ClaimAsync(Math.Min(ClaimBatch, budget.Remaining), ct);
            if (claimed.Count == 0)
            {
                return;
            }

            try
            {
                await SyncClaimedAsync(claimed, budget, ct);
            }
            finally
            {
                // A run that stopped early (45009, budget) hands back what it did not reach.
                var owner = claimed[0].SyncLeaseOwner;
                await db.ApprovalInstances.Where(a => a.SyncLeaseOwner == owner && a.SyncLeaseUntil != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.SyncLeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
            }
        }
    }

    private async Task SyncClaimedAsync(List<ApprovalInstance> claimed, CallBudget budget, CancellationToken ct)
    {
        foreach (var approval in claimed)
        {
            if (!budget.TryTake())
            {
                return; // the caller hands the rest back untouched
            }

            try
            {
                var approvalEvent = await ReadStatusAsync(approval, ct);
                var result = await ApplyAsync(approvalEvent, ct);
                _synced++;
                _changed += result.Outcome == TimelineOutcome.Applied ? 1 : 0;
            }
            catch (Exception e) when (e is WeComApiUnavailableException or WeComApiException { IsRateLimited: false }
                                          or DbUpdateException)
            {
                _failed++;
                logger.LogWarning("Sync of approval {ApprovalId} failed ({Reason}); next run tries again", approval.Id, e.Message);
            }
            finally
            {
                await ReleaseAsync(approval, ct);
            }
        }
    }

    /// <summary>Several service instances may run this at once: each approval is claimed by one, with a lease.</summary>
    private async Task<List<ApprovalInstance>> ClaimAsync(int max, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var until = now + _settings.Sync.Lease;
        var syncedRecently = now - (_settings.Sync.Interval / 2); // another instance's run just read it
        var owner = Guid.NewGuid().ToString("N");
        var due = db.ApprovalInstances.Where(a => a.IsOpen && a.SubmissionState == SubmissionState.Submitted
                                                  && (a.SyncLeaseUntil == null || a.SyncLeaseUntil < now)
                                                  && (a.LastSyncedAt == null || a.LastSyncedAt <= syncedRecently));
        var batch = due.OrderBy(a => a.LastSyncedAt).ThenBy(a => a.SubmittedAt).Take(max).Select(a => a.Id);
        await due.Where(a => batch.Contains(a.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.SyncLeaseUntil, until).SetProperty(a => a.SyncLeaseOwner, owner), ct);
        return await db.ApprovalInstances.AsNoTracking().Where(a => a.SyncLeaseOwner == owner && a.SyncLeaseUntil == until)
            .ToListAsync(ct);
    }

    // Stamped whether or not the read worked: an approval WeCom keeps refusing goes to the back of the queue
    // instead of taking the whole budget of every run.
    private Task ReleaseAsync(ApprovalInstance approval, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.ApprovalInstances.Where(a => a.Id == approval.Id && a.SyncLeaseOwner == approval.SyncLeaseOwner)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.SyncLeaseUntil, (DateTimeOffset?)null).SetProperty(a => a.LastSyncedAt, now), ct);
    }

    // Each distinct status seen by the sync is recorded once per approval; repeats are duplicates and cost nothing.
    private async Task<ApprovalEvent> ReadStatusAsync(ApprovalInstance approval, CancellationToken ct)
    {
        // Taken before the read: a change WeCom makes while we read it is newer than what we saw.
        var now = clock.GetUtcNow();
        if (approval is { Kind: ApprovalKind.System, SpNo: { } spNo })
        {
            var detail = await weCom.GetApprovalDetailAsync(spNo, ct);
            return new ApprovalEvent($"sync:{approval.Id:N}:{detail.SpStatus}", "sync_approval_detail", spNo, null,
                detail.SpStatus, null, detail.TemplateId, now, detail.RawJson);
        }

        var data = await weCom.GetOpenApprovalDataAsync(approval.ThirdNo, ct);
        return new ApprovalEvent($"sync:{approval.Id:N}:{data.Status}", "sync_open_approval_data", null, approval.ThirdNo,
            data.Status, null, data.TemplateId, now, data.RawJson);
    }

    // A scope per event, as for callbacks: one approval's failure leaves nothing tracked for the next.
    private async Task<ApprovalEventResult> ApplyAsync(ApprovalEvent approvalEvent, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>()
            .Send(new HandleApprovalCallbackCommand(approvalEvent, TimelineSource.Sync), ct);
    }

    /// <summary>
    /// Sweeps our template's forms of the recent window. A form we do not know is matched to its quote by the
    /// quote-number control: it settles a submission whose answer was lost, or is adopted. Unknown outcomes that
    /// the complete sweep did not find are abandoned after the grace period, so the quote can be submitted again.
    /// </summary>
    private async Task ReconcileAsync(CallBudget budget, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var start = now - _settings.Sync.ReconcileWindow;
        var spNos = new List<string>();
        string? cursor = null;
        var complete = true;
        do
        {
            if (!budget.TryTake())
            {
                complete = false;
                break;
            }

            var page = await weCom.GetApprovalInfoAsync(
                new ApprovalInfoQuery(start, now, cursor, _settings.Approval.TemplateId, null), ct);
            spNos.AddRange(page.SpNos);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var known = await KnownSpNosAsync(spNos, ct);
        foreach (var spNo in spNos.Where(s => !known.Contains(s)).Distinct())
        {
            if (!budget.TryTake())
            {
                complete = false;
                break;
            }

            var detail = await weCom.GetApprovalDetailAsync(spNo, ct);
            try
            {
                await AdoptAsync(detail, ct);
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || errors.IsUniqueViolation(e))
            {
                _failed++; // another instance adopted it (or changed the approval) meanwhile: the next run looks again
                logger.LogWarning("Reconciling form {SpNo} failed ({Reason}); next run tries again", spNo, e.GetType().Name);
            }
            catch (DbUpdateException e)
            {
                _failed++; // the store refused: a fault (EF's own failed-command log is Debug, ADR-14)
                logger.LogError(e, "Reconciling form {SpNo} failed in the database; next run tries again", spNo);
            }
        }

        if (complete)
        {
            await AbandonLostSubmissionsAsync(start, ct);
        }
    }

    // Chunked: SQL Server takes at most 2,100 parameters per query, and a day's sweep can return more sp_nos.
    private async Task<HashSet<string>> KnownSpNosAsync(List<string> spNos, CancellationToken ct)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in spNos.Distinct().Chunk(500))
        {
            var keys = chunk.Select(ReconcileKey).ToList();
            known.UnionWith(await db.ApprovalInstances.AsNoTracking().Where(a => a.SpNo != null && chunk.Contains(a.SpNo))
                .Select(a => a.SpNo!).ToListAsync(ct));
            known.UnionWith(await db.Timeline.AsNoTracking().Where(t => keys.Contains(t.EventKey)).Select(t => t.SpNo!).ToListAsync(ct));
        }

        return known;
    }

    private async Task AdoptAsync(ApprovalDetail detail, CancellationToken ct)
    {
        // Its own scope: a failed save leaves nothing tracked for the rest of the run.
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var now = clock.GetUtcNow();
        var number = _settings.Approval.Controls.QuoteNumber is { } control && detail.ControlValues.TryGetValue(control, out var value)
                     && QuoteNumber.LooksLikeQuoteNumber(value.Trim())
            ? value.Trim()
            : null; // anyone can type anything into a form of our template
        var quote = number is null ? null : await store.Quotes.SingleOrDefaultAsync(q => q.Number == number, ct);
        ApprovalInstance? approval = null;
        var transition = new ApprovalTransition(TimelineOutcome.Unmatched);
        if (quote is not null)
        {
            // The submission whose applyevent answer was lost, open or already moved on by an event that arrived
            // meanwhile (a simulated or open-flow event found it by its number): the form exists, tie it.
            var requested = await store.ApprovalInstances.Include(a => a.Quote)
                .Where(a => a.QuoteId == quote.Id && a.SubmissionState == SubmissionState.Requested)
                .OrderByDescending(a => a.SubmittedAt).FirstOrDefaultAsync(ct);
            var hasOpen = requested is { IsOpen: true } || await store.ApprovalInstances.AnyAsync(a => a.QuoteId == quote.Id && a.IsOpen, ct);
            if (requested is not null)
            {
                transition = requested.ConfirmSubmitted(detail.SpNo, now);
                approval = requested;
            }
            else if (!hasOpen && quote.BrokenStartApprovalRule(hasOpenApproval: false) is null)
            {
                approval = quote.StartApproval(ApprovalKind.System, detail.TemplateId, hasOpenApproval: false, now);
                approval.AssignSpNo(detail.SpNo);
                transition = ApprovalTransition.Applied;
            }
        }

        store.Timeline.Add(TimelineEvent.Record(ReconcileKey(detail.SpNo), TimelineSource.Sync, "reconcile", detail.SpStatus,
            transition, approval, detail.SpNo, number, now, now, detail.RawJson));
        await store.SaveChangesAsync(ct);
        metrics.ApprovalEvent(SnakeCaseEnum.Name(TimelineSource.Sync), SnakeCaseEnum.Name(transition.Outcome));
        if (approval is null)
        {
            logger.LogInformation("Form {SpNo} of our template matches no quote awaiting approval ({QuoteNumber})", detail.SpNo, number);
            return;
        }

        _reconciled++;
        if (detail.SpStatus != WeComApprovalStatus.Pending)
        {
            await ApplyAsync(new ApprovalEvent($"sync:{approval.Id:N}:{detail.SpStatus}", "sync_approval_detail", detail.SpNo, null,
                detail.SpStatus, null, detail.TemplateId, now, detail.RawJson), ct);
        }
    }

    private async Task AbandonLostSubmissionsAsync(DateTimeOffset sweptFrom, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - _settings.Sync.SubmissionGracePeriod;
        var lost = await db.ApprovalInstances.Include(a => a.Quote)
            .Where(a => a.IsOpen && a.SubmissionState == SubmissionState.Requested && a.SubmittedAt < cutoff && a.SubmittedAt >= sweptFrom)
            .ToListAsync(ct);
        foreach (var approval in lost)
        {
            approval.AbandonSubmission(now);
            _abandoned++;
            logger.LogWarning("Submission of quote {QuoteNumber} never reached WeCom; it may be submitted again", approval.ThirdNo);
        }

        await db.SaveChangesAsync(ct);
    }

    private static string ReconcileKey(string spNo) => $"reconcile:{spNo}";
}
