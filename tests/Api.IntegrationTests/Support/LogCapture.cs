using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>
/// Every log event of every service the tests start (message, properties, exception), and the secrets the
/// tests configured, so a run can prove no secret or access token reached a log line; and every event, kept
/// whole, so a run can prove that nothing was logged at Error that is not a server fault a test provoked.
/// </summary>
public sealed partial class LogCapture : ILogEventSink
{
    public static readonly LogCapture Instance = new();

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<string, byte> _secrets = new();
    private readonly List<CapturedEvent> _events = [];
    private readonly List<ErrorExpectation> _expectations = [];
    private readonly Lock _lock = new();

    public int Count => _lines.Count;

    public void RegisterSecret(string? value)
    {
        if (!string.IsNullOrEmpty(value) && value.Length >= 6)
        {
            _secrets.TryAdd(value, 0);
        }
    }

    public void Emit(LogEvent logEvent)
    {
        _lines.Enqueue($"{logEvent.RenderMessage()} | {string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"))} | {logEvent.Exception}");
        var source = logEvent.Properties.TryGetValue("SourceContext", out var s) && s is ScalarValue { Value: string context } ? context : "";
        lock (_lock)
        {
            var expected = logEvent.Level >= LogEventLevel.Error
                           && _expectations.Any(e => e.SourceContext == source && e.MessageTemplate == logEvent.MessageTemplate.Text);
            _events.Add(new CapturedEvent(logEvent, source, expected));
        }
    }

    /// <summary>
    /// A console line of a service started as a process (<see cref="ServiceProcess"/>): kept for the secrets check,
    /// and its Error/Fatal lines (output template <c>[HH:mm:ss ERR] Source: message</c>) for the error check.
    /// </summary>
    public void EmitProcessLine(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        var level = line.Contains(" ERR] ", StringComparison.Ordinal) ? LogEventLevel.Error
            : line.Contains(" FTL] ", StringComparison.Ordinal) ? LogEventLevel.Fatal
            : line.Contains(" WRN] ", StringComparison.Ordinal) ? LogEventLevel.Warning
            : LogEventLevel.Information;
        Emit(new LogEvent(DateTimeOffset.Now, level, null, new MessageTemplate([new TextToken(line)]),
            [new LogEventProperty("SourceContext", new ScalarValue(nameof(ServiceProcess)))]));
    }

    /// <summary>Lines holding a configured secret, or anything shaped like an access token (the simulator's are 128 hex).</summary>
    public IReadOnlyList<string> Leaks() =>
        _lines.Where(line => _secrets.Keys.Any(s => line.Contains(s, StringComparison.Ordinal)) || AccessTokenShape().IsMatch(line))
            .Take(10).ToList();

    /// <summary>A position in the event stream, for <see cref="EventsSince"/>.</summary>
    public int Mark()
    {
        lock (_lock)
        {
            return _events.Count;
        }
    }

    public IReadOnlyList<CapturedEvent> EventsSince(int mark)
    {
        lock (_lock)
        {
            return _events.Skip(mark).ToList();
        }
    }

    /// <summary>
    /// While the returned scope is open, Error and Fatal events from <paramref name="sourceContext"/> with exactly
    /// <paramref name="messageTemplate"/> are a fault the test provoked on purpose, not a finding.
    /// </summary>
    public IDisposable ExpectErrors(string sourceContext, string messageTemplate)
    {
        var expectation = new ErrorExpectation(sourceContext, messageTemplate);
        lock (_lock)
        {
            _expectations.Add(expectation);
        }

        return new Scope(this, expectation);
    }

    /// <summary>The rendered events written inside the W3C trace <paramref name="traceId"/> (Serilog records Activity.Current's).</summary>
    public IReadOnlyList<string> LinesWithTraceId(string traceId)
    {
        lock (_lock)
        {
            return _events.Where(e => e.Event.TraceId?.ToHexString() == traceId).Select(e => e.Event.RenderMessage()).ToList();
        }
    }

    /// <summary>Error and Fatal events that no open <see cref="ExpectErrors"/> scope covered.</summary>
    public IReadOnlyList<CapturedEvent> UnexpectedErrors()
    {
        lock (_lock)
        {
            return _events.Where(e => e.IsError && !e.Expected).ToList();
        }
    }

    [GeneratedRegex("[0-9a-f]{128}")]
    private static partial Regex AccessTokenShape();

    private sealed record ErrorExpectation(string SourceContext, string MessageTemplate);

    private sealed class Scope(LogCapture capture, ErrorExpectation expectation) : IDisposable
    {
        public void Dispose()
        {
            lock (capture._lock)
            {
                capture._expectations.Remove(expectation);
            }
        }
    }
}

/// <summary>One captured event: its level, where it came from, its template, and whether a test expected it.</summary>
public sealed record CapturedEvent(LogEvent Event, string SourceContext, bool Expected)
{
    public LogEventLevel Level => Event.Level;

    public string MessageTemplate => Event.MessageTemplate.Text;

    public bool IsError => Event.Level >= LogEventLevel.Error;

    public object? Property(string name) => Event.Properties.TryGetValue(name, out var v) && v is ScalarValue s ? s.Value : null;

    public override string ToString() =>
        $"[{Level}] {SourceContext}: {MessageTemplate} => {Event.RenderMessage()}{(Event.Exception is null ? "" : $" ({Event.Exception.GetType().Name}: {Event.Exception.Message})")}";
}
