using Microsoft.AspNetCore.Diagnostics;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;

namespace CrmIntegration.Api.ErrorHandling;

/// <summary>
/// One line per request, naming the status that was sent: the request log sits outside the exception handler,
/// so it sees the answer the handler wrote, not the exception on its way there. Error is for what an operator
/// must act on (5xx); client errors, aborted requests and malformed framing are Information.
/// </summary>
internal static class RequestLogging
{
    /// <summary>What nginx calls "client closed request": the ASP.NET exception handler sets it for an aborted request.</summary>
    public const int ClientClosedRequest = StatusCodes.Status499ClientClosedRequest;

    public static IApplicationBuilder UseCrmRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(o =>
        {
            // The host's own logger, not the static Log.Logger (several hosts in one process: the tests).
            o.Logger = app.ApplicationServices.GetService<Serilog.ILogger>();
            o.GetLevel = LevelOf;
            // IncludeQueryInRequestPath stays off: WeCom signatures travel in the query.
        });

    /// <summary>5xx is Error, except 503 (a feature that is off, already reported at start-up: Warning); the rest Information.</summary>
    internal static LogEventLevel LevelOf(HttpContext context, double elapsedMilliseconds, Exception? exception)
    {
        if (exception is not null && !context.RequestAborted.IsCancellationRequested)
        {
            return LogEventLevel.Error; // escaped every handler: a fault
        }

        return context.Response.StatusCode switch
        {
            StatusCodes.Status503ServiceUnavailable => LogEventLevel.Warning,
            >= 500 and not ClientClosedRequest => LogEventLevel.Error,
            _ => LogEventLevel.Information,
        };
    }

    /// <summary>
    /// The exception handler logs (at Error, with the stack trace) only what no <see cref="ProblemDetailsExceptionHandler"/>
    /// mapping explained: a mapped exception is an answer (its request line carries status and level), not a fault.
    /// Aborted requests it logs at Debug by itself.
    /// </summary>
    public static bool SuppressHandledExceptions(ExceptionHandlerSuppressDiagnosticsContext context) =>
        context.ExceptionHandledBy == ExceptionHandledType.ExceptionHandlerService;
}
