using CrmIntegration.Application.Approvals.ReconcileSubmissions;
using CrmIntegration.Application.Approvals.ScanApprovalLists;
using CrmIntegration.Application.Approvals.SyncApproval;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.SyncPendingApprovals;

/// <summary>
/// The compensation sync, one run: schedules every open approval (<see cref="ApprovalSyncSchedule"/>), scans WeCom's
/// approval lists when the scan is due (ScanApprovalLists: which open approvals changed, which approved ones were
/// revoked; ADR-27), claims the due approvals from the work queue and sends SyncApproval for each, paying its call
/// from the budget all instances share (<see cref="WeComCallBudget"/>), then ReconcileSubmissions with the scan's
/// pending forms. The run stops when the minute's background share is spent or WeCom answers 45009/45033; what it did
/// not reach waits for the next run.
/// </summary>
public sealed record SyncPendingApprovalsCommand : IRequest<SyncReport>;

internal sealed class SyncPendingApprovalsCommandHandler(
    IWorkQueue<ApprovalSyncState> queue,
    ApprovalSyncSchedule schedule,
    WeComCallBudget budget,
    IServiceScopeFactory scopes,
    IOptions<WeComOptions> options,
    TimeProvider clock,
    CrmMetrics metrics,
    ILogger<SyncPendingApprovalsCommandHandler> logger) : IRequestHandler<SyncPendingApprovalsCommand, SyncReport>
{
    // Small claims: every approval claimed is read well inside its lease, so no other instance reads it meanwhile.
    private const int ClaimBatch = 10;
    // An approval WeCom keeps refusing is read again next run at first, then less and less often (up to every 30 min).
    private static readonly RetryPolicy FailureBackoff = new(int.MaxValue, TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(30));

    public async Task<SyncReport> Handle(SyncPendingApprovalsCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.ApiConfigured)
        {
            throw new FeatureNotConfiguredException("The approval sync needs WeCom:CorpId and WeCom:Secret.");
        }

        var report = SyncReport.Empty;
        try
        {
            await schedule.RefreshAsync(cancellationToken);
            var scan = await SendAsync(new ScanApprovalListsCommand(), cancellationToken);
            report = await SyncDueAsync(new SyncReport(0, scan.Revoked, 0, 0, scan.Failed ? 1 : 0, scan.Calls, scan.RateLimited, scan.BudgetSpent, scan.Listed),
                cancellationToken);
            if (settings.SubmissionConfigured && !report.RateLimited && !report.BudgetSpent)
            {
                var reconcile = await SendAsync(new ReconcileSubmissionsCommand(scan.PendingOfOurTemplate), cancellationToken);
                report = report with
                {
                    Reconciled = reconcile.Reconciled, Abandoned = reconcile.Abandoned, Failed = report.Failed + reconcile.Failed,
                    Calls = report.Calls + reconcile.Calls, BudgetSpent = reconcile.BudgetSpent,
                };
            }
        }
        catch (WeComApiException e) when (e.IsRateLimited)
        {
            report = report with { RateLimited = true }; // back off: the rest waits for a later run
            logger.LogWarning("WeCom rate limit ({ErrCode}) during sync; stopping this run", e.ErrCode);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.SyncRun(CrmMetrics.SyncResults.Failed, clock.GetUtcNow()); // the caller logs it
            throw;
        }

        var partial = report.RateLimited || report.BudgetSpent || report.Failed > 0;
        metrics.SyncRun(partial ? CrmMetrics.SyncResults.Partial : CrmMetrics.SyncResults.Ok, clock.GetUtcNow());
        if (report.Changed + report.Reconciled + report.Abandoned + report.Failed > 0 || report.RateLimited || report.BudgetSpent)
        {
            logger.LogInformation("Approval sync: {Report}", report);
        }

        return report;
    }

    private async Task<SyncReport> SyncDueAsync(SyncReport report, CancellationToken ct)
    {
        while (!report.RateLimited && !report.BudgetSpent)
        {
            var now = clock.GetUtcNow();
            var batch = await queue.ClaimAsync(s => s.NextSyncAt <= now, s => s.NextSyncAt, ClaimBatch, options.Value.Sync.Lease, ct);
            if (batch.IsEmpty)
            {
                return report;
            }

            // One call per claimed approval from the minute's shared budget; what it cannot pay for goes back at once.
            var paid = await budget.TakeForBackgroundAsync(batch.Items.Count, ct);
            if (paid < batch.Items.Count)
            {
                report = report with { BudgetSpent = true };
                await queue.ReleaseAsync(batch, [.. batch.Items.Skip(paid)], CancellationToken.None);
            }

            var spacings = await schedule.SpacingsAsync(batch.Items, now, ct);
            for (var i = 0; i < paid; i++)
            {
                var state = batch.Items[i];
                var spacing = spacings.GetValueOrDefault(state.Id, options.Value.Sync.Interval);
                try
                {
                    var result = await SendAsync(new SyncApprovalCommand(state.Id), ct);
                    state.RecordRead(clock.GetUtcNow(), spacing);
                    report = report with { Synced = report.Synced + 1, Changed = report.Changed + (result.Outcome == Domain.Approvals.TimelineOutcome.Applied ? 1 : 0) };
                }
                catch (Exception e) when (e is WeComApiUnavailableException or WeComApiException { IsRateLimited: false } or DbUpdateException or NotFoundException)
                {
                    state.RecordFailure(e.Message, clock.GetUtcNow(), options.Value.Sync.Interval / 2, FailureBackoff, Random.Shared.NextDouble());
                    report = report with { Failed = report.Failed + 1 };
                    logger.LogWarning("Sync of approval {ApprovalId} failed ({Reason}); next run tries again", state.Id, e.Message);
                }
                catch (WeComApiException e) when (e.IsRateLimited)
                {
                    report = report with { Calls = report.Calls + 1, RateLimited = true };
                    logger.LogWarning("WeCom rate limit ({ErrCode}) during sync; stopping this run", e.ErrCode);
                    await queue.ReleaseAsync(batch, [.. batch.Items.Take(paid).Skip(i)], CancellationToken.None); // hands back what it did not reach
                    break;
                }

                report = report with { Calls = report.Calls + 1 };
                queue.Complete(state);
                await schedule.SaveAsync(state, ct);
            }
        }

        return report;
    }

    // A scope per use case: one approval's failure leaves nothing tracked for the next.
    private async Task<TResult> SendAsync<TResult>(IRequest<TResult> request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, ct);
    }
}
