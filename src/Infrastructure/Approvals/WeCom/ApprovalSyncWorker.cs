using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Application.Approvals.WeCom;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Approvals.WeCom;

/// <summary>The seed's compensation daemon: SyncPendingApprovals every WeCom:Sync:Interval (2 minutes by default).</summary>
internal sealed class ApprovalSyncWorker(
    IServiceScopeFactory scopes,
    IOptions<WeComOptions> options,
    TimeProvider clock,
    ILogger<ApprovalSyncWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ApiConfigured)
        {
            return; // said at start-up: the WeCom API is off
        }

        // A run that meets 45009/45033 stops there; the rest waits a whole interval (ADR-9).
        using var timer = new PeriodicTimer(options.Value.Sync.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var report = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SyncPendingApprovalsCommand(), stoppingToken);
                if (report.Changed + report.Reconciled + report.Abandoned + report.Failed > 0 || report.RateLimited)
                {
                    logger.LogInformation("Approval sync: {Report}", report);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Approval sync run failed; next run in {Interval}", options.Value.Sync.Interval);
            }
        }
    }
}
