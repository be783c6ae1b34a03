using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>
/// Every log event of every service the tests start (message, properties, exception), and the secrets the
/// tests configured, so a run can prove no secret or access token reached a log line.
/// </summary>
public sealed partial class LogCapture : ILogEventSink
{
    public static readonly LogCapture Instance = new();

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<string, byte> _secrets = new();

    public int Count => _lines.Count;

    public void RegisterSecret(string? value)
    {
        if (!string.IsNullOrEmpty(value) && value.Length >= 6)
        {
            _secrets.TryAdd(value, 0);
        }
    }

    public void Emit(LogEvent logEvent) =>
        _lines.Enqueue($"{logEvent.RenderMessage()} | {string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"))} | {logEvent.Exception}");

    /// <summary>Lines holding a configured secret, or anything shaped like an access token (the simulator's are 128 hex).</summary>
    public IReadOnlyList<string> Leaks() =>
        _lines.Where(line => _secrets.Keys.Any(s => line.Contains(s, StringComparison.Ordinal)) || AccessTokenShape().IsMatch(line))
            .Take(10).ToList();

    [GeneratedRegex("[0-9a-f]{128}")]
    private static partial Regex AccessTokenShape();
}
