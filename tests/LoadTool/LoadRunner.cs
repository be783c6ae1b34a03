using System.Diagnostics;
using System.Net;
using System.Text;

namespace CrmIntegration.LoadTool;

/// <summary>Posts prepared callbacks with a fixed number of concurrent senders; records each request's latency.</summary>
internal static class LoadRunner
{
    public static HttpClient CreateClient(Uri baseAddress, int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static async Task<PhaseResult> RunAsync(
        string target, HttpClient client, IReadOnlyList<SignedCallback> callbacks, int concurrency, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        var latencies = new double[callbacks.Count];
        var ok = new bool[callbacks.Count];
        var next = -1;
        var errors = 0;
        string? firstError = null;

        var started = Stopwatch.GetTimestamp();
        var senders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while (!deadline.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < callbacks.Count)
            {
                var error = await SendAsync(client, callbacks[i], deadline.Token, out var sent);
                latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (error is null)
                {
                    ok[i] = true;
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            }
        })).ToArray();
        await Task.WhenAll(senders);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var attempted = Math.Min(callbacks.Count, next);
        var succeeded = latencies.Where((_, i) => ok[i]).ToList();
        return new PhaseResult(target, attempted, succeeded.Count, errors, elapsed, LatencySummary.Of(succeeded), firstError);
    }

    /// <summary>
    /// Open loop: callback i is sent at i / <paramref name="rate"/> s after the start whatever the earlier ones are doing
    /// (each on its own task), so a slow answer does not slow the senders; latency is from its send to its answer.
    /// </summary>
    public static async Task<PhaseResult> RunPacedAsync(
        string target, HttpClient client, IReadOnlyList<SignedCallback> callbacks, int rate, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        var latencies = new double[callbacks.Count];
        var ok = new bool[callbacks.Count];
        var errors = 0;
        var sent = 0;
        string? firstError = null;
        var sends = new List<Task>(callbacks.Count);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < callbacks.Count && !deadline.IsCancellationRequested; i++)
        {
            var wait = TimeSpan.FromSeconds((double)i / rate) - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var index = i;
            sent++;
            sends.Add(Task.Run(async () =>
            {
                var error = await SendAsync(client, callbacks[index], deadline.Token, out var at);
                latencies[index] = Stopwatch.GetElapsedTime(at).TotalMilliseconds;
                if (error is null)
                {
                    ok[index] = true;
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }
            }));
        }

        await Task.WhenAll(sends);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var succeeded = latencies.Where((_, i) => ok[i]).ToList();
        return new PhaseResult($"{target} @{rate}/s", sent, succeeded.Count, errors, elapsed, LatencySummary.Of(succeeded), firstError);
    }

    /// <summary>Null when the answer was 200 "success"; else a short description.</summary>
    public static Task<string?> SendAsync(HttpClient client, SignedCallback callback, CancellationToken ct, out long sent)
    {
        sent = Stopwatch.GetTimestamp();
        return SendCoreAsync(client, callback, ct);
    }

    private static async Task<string?> SendCoreAsync(HttpClient client, SignedCallback callback, CancellationToken ct)
    {
        try
        {
            using var content = new StringContent(callback.Body, Encoding.UTF8, "text/xml");
            using var response = await client.PostAsync(callback.PathAndQuery, content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return response.StatusCode == HttpStatusCode.OK && body == "success"
                ? null
                : $"HTTP {(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return ct.IsCancellationRequested ? "phase time limit reached" : $"{e.GetType().Name}: {e.Message}";
        }
    }
}
