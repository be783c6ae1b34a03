using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace CrmIntegration.LoadTool;

/// <summary>
/// Acknowledged callback → quote-status event received by a client of <c>GET /api/quotes/events</c>: one
/// open_approval_change per fresh quote, paced at <see cref="LoadOptions.LiveRate"/> per second for
/// <see cref="LoadOptions.LiveSeconds"/> s, each timed from the moment the service acknowledged it to the moment
/// its event arrived on a stream opened before the first one was sent.
/// </summary>
internal sealed class LiveLatencyTest(LoadOptions options, CallbackFactory callbacks)
{
    private static readonly TimeSpan _drainTimeout = TimeSpan.FromSeconds(10);

    public async Task<(LatencySummary Latency, int Sent, int Received, int Errors)> RunAsync(CrmApi api, HttpClient service, QuoteRef[] quotes)
    {
        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var arrived = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        using var stream = await api.OpenEventStreamAsync(stop.Token);
        var listening = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(stop.Token))
                {
                    var received = Stopwatch.GetTimestamp();
                    arrived.TryAdd(JsonDocument.Parse(item.Data).RootElement.GetProperty("number").GetString()!, received);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The run is over.
            }
        });

        var interval = TimeSpan.FromSeconds(1.0 / options.LiveRate);
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        var sends = new List<Task>();
        for (var i = 0; i < quotes.Length; i++)
        {
            var due = interval * i;
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var quote = quotes[i];
            sends.Add(Task.Run(async () =>
            {
                var callback = callbacks.OpenApprovalChange(quote.Number, 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0);
                var error = await LoadRunner.SendAsync(service, callback, CancellationToken.None, out _);
                if (error is null)
                {
                    acknowledged[quote.Number] = Stopwatch.GetTimestamp();
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }));
        }

        await Task.WhenAll(sends);
        var drainUntil = Stopwatch.GetTimestamp();
        while (acknowledged.Keys.Any(n => !arrived.ContainsKey(n)) && Stopwatch.GetElapsedTime(drainUntil) < _drainTimeout)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await listening;

        // An event can reach the listener before the sender has noted the acknowledgement: that counts as 0 ms.
        var latencies = acknowledged.Where(a => arrived.ContainsKey(a.Key))
            .Select(a => Math.Max(0, Stopwatch.GetElapsedTime(a.Value, arrived[a.Key]).TotalMilliseconds)).ToArray();
        return (LatencySummary.Of(latencies), quotes.Length, latencies.Length, errors);
    }

    public static string Describe(LoadOptions options, (LatencySummary Latency, int Sent, int Received, int Errors) result) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Acknowledged -> quote-status event on GET /api/quotes/events ({options.LiveRate} callbacks/s for {options.LiveSeconds} s, "
            + $"{result.Received}/{result.Sent} received, {result.Errors} refused): {result.Latency}");
}
