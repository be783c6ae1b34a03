using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>
/// Runs the checks one by one, each within <see cref="IntegrationCheckOptions.Timeout"/> (wall clock), so
/// one hanging partner API cannot stall the answer. Requests that arrive while a run is under way share it: the
/// partners see one set of calls however many admins press reload (the WeCom rate budget is per corp).
/// </summary>
public sealed class IntegrationCheckRunner(
    IServiceScopeFactory scopes,
    IOptions<IntegrationCheckOptions> options,
    TimeProvider clock,
    ILogger<IntegrationCheckRunner> logger)
{
    private readonly Lock _lock = new();
    private Task<IntegrationCheckReport>? _running;

    public Task<IntegrationCheckReport> RunAsync(CancellationToken cancellationToken)
    {
        Task<IntegrationCheckReport> run;
        lock (_lock)
        {
            run = _running ??= RunOnceAsync();
        }

        // A caller that goes away stops waiting; the shared run goes on for the others (each check is bounded).
        return run.WaitAsync(cancellationToken);
    }

    private async Task<IntegrationCheckReport> RunOnceAsync()
    {
        await Task.Yield(); // leave the lock before the first check starts
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var results = new List<IntegrationCheckResult>();
            foreach (var check in scope.ServiceProvider.GetServices<IIntegrationCheck>())
            {
                var result = await RunOneAsync(check, results);
                results.Add(result);
                if (result.Status is IntegrationCheckStatus.Failed or IntegrationCheckStatus.Warning)
                {
                    logger.LogWarning("Integration check {Check}: {Status} (errcode {ErrCode}): {Detail}", result.Name, result.Status, result.ErrCode, result.Detail);
                }
                else
                {
                    logger.LogInformation("Integration check {Check}: {Status}", result.Name, result.Status);
                }
            }

            return new IntegrationCheckReport(clock.GetUtcNow(), Worst(results), results);
        }
        finally
        {
            lock (_lock)
            {
                _running = null;
            }
        }
    }

    private async Task<IntegrationCheckResult> RunOneAsync(IIntegrationCheck check, List<IntegrationCheckResult> done)
    {
        if (check.DependsOn is { } needed
            && done.FirstOrDefault(r => r.Name == needed) is { Status: IntegrationCheckStatus.Failed or IntegrationCheckStatus.Skipped } blocker)
        {
            return IntegrationCheckResult.Skipped(check.Name, $"Not run: it needs {needed}, which is {blocker.Status.ToString().ToLowerInvariant()}.",
                $"Fix {needed} first.");
        }

        var timeout = options.Value.Timeout;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await check.RunAsync(cts.Token).WaitAsync(timeout, TimeProvider.System);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && cts.IsCancellationRequested))
        {
            return IntegrationCheckResult.Failed(check.Name, null, $"No answer within {timeout.TotalSeconds:0} s.",
                "The partner API did not answer in time: check outbound HTTPS from this server to it (proxy, firewall, DNS) and its base URL setting; try again later.");
        }
        catch (Exception e)
        {
            // The type only: a message could carry a URL, and URLs carry access tokens.
            return IntegrationCheckResult.Failed(check.Name, null, $"The check could not run: {e.GetType().Name}.",
                "See the service's log around this time.");
        }
    }

    private static IntegrationCheckStatus Worst(List<IntegrationCheckResult> results) =>
        results.Any(r => r.Status == IntegrationCheckStatus.Failed) ? IntegrationCheckStatus.Failed
        : results.Any(r => r.Status == IntegrationCheckStatus.Warning) ? IntegrationCheckStatus.Warning
        : IntegrationCheckStatus.Ok;
}
