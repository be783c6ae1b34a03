using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Infrastructure.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Customers.Notifications;

/// <summary>Runs the dispatcher when an assignment is saved here, and every few seconds for the rest.</summary>
internal sealed class NotificationWorker(
    NotificationDispatcher dispatcher,
    [FromKeyedServices(NotificationWorker.SignalKey)] WorkSignal signal,
    IOptions<MiniProgramOptions> miniProgram,
    IOptions<NotificationsOptions> options,
    TimeProvider clock,
    ILogger<NotificationWorker> logger) : BackgroundService
{
    public const string SignalKey = "notifications";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!miniProgram.Value.Configured)
        {
            return; // off: notifications stay pending until the mini-program is configured (FeatureReport says so)
        }

        var interval = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Notification dispatch stopped early; trying again in {Interval}", interval);
            }

            try
            {
                await signal.WaitAsync(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
