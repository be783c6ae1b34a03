using CrmIntegration.Simulator.State;

namespace CrmIntegration.Simulator;

/// <summary>Counts every API call per path and plays the next armed <see cref="Fault"/> for it. /_sim is exempt.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, SimulatorState state)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_sim", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        state.CountCall(path);
        var fault = state.TakeFault(path);
        if (fault is null)
        {
            await next(context);
            return;
        }

        try
        {
            await PlayAsync(context, fault, path);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (that is what a hang is for).
        }
    }

    private async Task PlayAsync(HttpContext context, Fault fault, string path)
    {
        if (!fault.AfterProcessing)
        {
            await DelayAsync(fault.DelayMilliseconds, context);
            if (!fault.FailsTheCall)
            {
                await next(context);
                return;
            }

            await FailAsync(context, fault, path);
            return;
        }

        // The call takes effect, then its answer is lost or replaced: what a client sees after a timeout.
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        await DelayAsync(fault.DelayMilliseconds, context);
        if (!fault.FailsTheCall)
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
            return;
        }

        context.Response.Clear();
        await FailAsync(context, fault, path);
    }

    private async Task FailAsync(HttpContext context, Fault fault, string path)
    {
        if (fault.Hang)
        {
            await Task.Delay(state.Settings.HangMilliseconds, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            return;
        }

        if (fault.HttpStatus is { } status)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"simulated HTTP {status}", context.RequestAborted);
            return;
        }

        await WxErrors.Result(path, fault.ErrCode ?? WxErrors.SystemBusy).ExecuteAsync(context);
    }

    private static Task DelayAsync(int milliseconds, HttpContext context) =>
        milliseconds > 0 ? Task.Delay(milliseconds, context.RequestAborted) : Task.CompletedTask;
}
