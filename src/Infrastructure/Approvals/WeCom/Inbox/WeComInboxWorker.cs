using CrmIntegration.Infrastructure.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

/// <summary>Runs the inbox processor when a callback arrives here, and every few seconds for the rest.</summary>
internal sealed class WeComInboxWorker(
    WeComInboxProcessor processor,
    [FromKeyedServices(WeComInboxWorker.SignalKey)] WorkSignal signal,
    TimeProvider clock,
    ILogger<WeComInboxWorker> logger) : BackgroundService
{
    public const string SignalKey = "wecom-inbox";
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await processor.ProcessDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "WeCom inbox processing stopped early; trying again in {Interval}", PollInterval);
            }

            try
            {
                await signal.WaitAsync(PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
