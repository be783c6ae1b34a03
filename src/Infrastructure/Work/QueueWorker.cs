using CrmIntegration.Application.Common.Work;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Infrastructure.Work;

/// <summary>
/// How one queue is drained: <see cref="Drain"/> sends the queue's use case (a MediatR command) and answers whether
/// more may be due at once; the worker repeats it until not, then waits for the kind's signal or <see cref="Interval"/>.
/// </summary>
internal sealed record QueueDefinition(
    WorkKind Kind,
    Func<IServiceProvider, bool> Enabled,
    Func<IServiceProvider, TimeSpan> Interval,
    bool RunAtStart,
    Func<IMediator, CancellationToken, Task<bool>> Drain);

/// <summary>The one background worker of the service (ADR-22), hosted once per queue.</summary>
internal sealed class QueueWorker(
    QueueDefinition queue,
    IServiceProvider services,
    WorkSignals signals,
    TimeProvider clock,
    ILogger<QueueWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!queue.Enabled(services))
        {
            return; // switched off; FeatureReport says so at start-up
        }

        var interval = queue.Interval(services);
        var signal = signals.For(queue.Kind);
        if (!queue.RunAtStart && !await WaitAsync(signal, interval, stoppingToken))
        {
            return;
        }

        DateTimeOffset nextRun;
        do
        {
            // Fixed rate, like a PeriodicTimer: the next run is due one interval after this one started, so a long
            // run (timeouts, a large backlog) is followed at once rather than a whole interval later.
            nextRun = clock.GetUtcNow() + interval;
            try
            {
                bool more;
                do
                {
                    await using var scope = services.CreateAsyncScope(); // a scope per command, as for a request
                    more = await queue.Drain(scope.ServiceProvider.GetRequiredService<IMediator>(), stoppingToken);
                }
                while (more && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "{Queue} work stopped early; trying again in {Interval}", queue.Kind, interval);
            }
        }
        while (await WaitAsync(signal, nextRun - clock.GetUtcNow(), stoppingToken));
    }

    private async Task<bool> WaitAsync(Common.WorkSignal signal, TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await signal.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
