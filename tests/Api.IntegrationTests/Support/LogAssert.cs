using Serilog.Events;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>What the service logged about the requests a test just made.</summary>
internal static class LogAssert
{
    public const string RequestLogSource = "Serilog.AspNetCore.RequestLoggingMiddleware";
    public const string RequestLogTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms";
    public const string ExceptionHandlerSource = "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware";
    public const string ExceptionHandlerTemplate = "An unhandled exception has occurred while executing the request.";
    public const string UseCaseSource = "CrmIntegration.Application.Common.Behaviours.UnhandledExceptionBehaviour";
    public const string UseCaseTemplate = "{Command} failed with {ExceptionType}";

    /// <summary>
    /// The request-log line for <paramref name="path"/> logged after <paramref name="mark"/> (waits briefly: the
    /// line is written as the pipeline unwinds, which may be after the client has read the answer).
    /// </summary>
    public static async Task<CapturedEvent> RequestLineAsync(int mark, string path, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var line = LogCapture.Instance.EventsSince(mark)
                .LastOrDefault(e => e.SourceContext == RequestLogSource && Equals(e.Property("RequestPath"), path));
            if (line is not null)
            {
                return line;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No request-log line for {path}; logged: {string.Join("; ", LogCapture.Instance.EventsSince(mark))}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The line names the status sent, at Information or Warning, without an exception; nothing else was an Error.</summary>
    public static async Task ClientErrorLoggedHonestlyAsync(int mark, string path, int statusSent)
    {
        var line = await RequestLineAsync(mark, path);
        var errors = LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(line.Property("StatusCode"), Is.EqualTo(statusSent), line.ToString());
            Assert.That(line.Level, Is.AnyOf(LogEventLevel.Information, LogEventLevel.Warning), line.ToString());
            Assert.That(line.Event.Exception, Is.Null, "no stack trace for a handled client error");
            Assert.That(errors, Is.Empty, "no Error entry for a client error");
        }
    }
}
