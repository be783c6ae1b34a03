using System.Diagnostics;
using System.Globalization;

namespace CrmIntegration.LoadTool;

/// <summary>
/// One run: create quotes (open mode), warm both targets, the same N callbacks against the bare ceiling and
/// then the service, wait until the service has applied them, then sample acknowledged-to-visible latency.
/// </summary>
internal sealed class CallbackLoadTest(LoadOptions options)
{
    private static readonly TimeSpan _visibilityTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(5);

    private readonly CallbackFactory _callbacks = new(options);
    private readonly TimeSpan _phaseLimit = TimeSpan.FromSeconds(options.MaxSecondsPerPhase);

    /// <summary>0 when every callback was acknowledged and applied; 1 otherwise.</summary>
    public async Task<int> RunAsync()
    {
        Line($"Target {options.ServiceUrl} | {options.Count} callbacks ({options.Mode} mode) | {options.Concurrency} concurrent senders | "
             + $"{Environment.ProcessorCount} cores{(options.Rate > 0 ? $" | timed phases paced at {options.Rate} callbacks/s (open loop)" : "")}");
        await using var ceiling = await CeilingServer.StartAsync();
        // Paced: as many connections as callbacks in flight, so no callback waits in the client for a connection.
        var connections = options.Rate > 0 ? LoadOptions.MaxConcurrency : options.Concurrency;
        using var service = LoadRunner.CreateClient(options.ServiceUrl, connections);
        using var bare = LoadRunner.CreateClient(ceiling.Address, connections);
        using var api = options.SigningKey is null ? null : new CrmApi(options);

        var quoteCount = options.OpenMode ? (options.Count + options.EventsPerQuote - 1) / options.EventsPerQuote : 0;
        var liveCount = options.LiveRate * options.LiveSeconds;
        var warmQuotes = options.OpenMode ? WarmUpQuotes : 0;
        var quotes = api is null ? [] : await CreateQuotesAsync(api, quoteCount + options.VisibilitySamples + liveCount + warmQuotes);
        var loadQuotes = quotes.Take(quoteCount).ToArray();
        var sampleQuotes = quotes.Skip(quoteCount).Take(options.VisibilitySamples).ToArray();
        var liveQuotes = quotes.Skip(quoteCount + options.VisibilitySamples).Take(liveCount).ToArray();

        await WarmUpAsync(bare, service, api, quotes.Skip(quoteCount + options.VisibilitySamples + liveCount).ToArray());

        var approvedBefore = api is null || !options.OpenMode ? 0 : await api.CountAsync("approved", CancellationToken.None);
        var load = BuildLoad(loadQuotes);

        Task<PhaseResult> Timed(string target, HttpClient client) => options.Rate > 0
            ? LoadRunner.RunPacedAsync(target, client, load, options.Rate, _phaseLimit)
            : LoadRunner.RunAsync(target, client, load, options.Concurrency, _phaseLimit);
        var ceilingResult = await Timed("ceiling (bare 'success')", bare);
        var serviceStarted = Stopwatch.GetTimestamp();
        var cpuAtStart = ServiceCpu();
        var serviceResult = await Timed("service /wecom/callback", service);
        var cpuAcknowledging = ServiceCpu() - cpuAtStart;
        var applied = api is null || !options.OpenMode
            ? (TimeSpan?)null
            : await WaitUntilAsync(async () => await api.CountAsync("approved", CancellationToken.None) >= approvedBefore + loadQuotes.Length,
                serviceStarted);
        var cpuToApplied = applied is null ? null : ServiceCpu() - cpuAtStart;
        var visibility = api is null ? LatencySummary.Of([]) : await MeasureVisibilityAsync(api, service, sampleQuotes);
        var live = api is null || liveQuotes.Length == 0 ? ((LatencySummary, int, int, int)?)null
            : await new LiveLatencyTest(options, _callbacks).RunAsync(api, service, liveQuotes);

        Report(ceilingResult, serviceResult, applied, visibility, loadQuotes.Length);
        ReportCpu(serviceResult, cpuAcknowledging, cpuToApplied);
        if (live is { } l)
        {
            Line(LiveLatencyTest.Describe(options, l));
        }

        var visibilityMissing = sampleQuotes.Length - visibility.Count;
        var liveMissing = live is { } m ? m.Item2 - m.Item3 : 0;
        return serviceResult.Errors == 0 && serviceResult.Succeeded == load.Length && visibilityMissing == 0 && liveMissing == 0
               && (applied is not null || !options.OpenMode) ? 0 : 1;
    }

    private const int WarmUpQuotes = 20;

    /// <summary>
    /// Rounds of 200 fresh callbacks against each target until <see cref="LoadOptions.WarmUpSeconds"/> have passed for
    /// it, then waits until the service has processed its warm-up, so the timed phase starts on warm code (the ack path
    /// and, in open mode, the path that applies an event to a quote) and an empty backlog. Each round is unmatched
    /// callbacks (another app's template: stored, then ignored by the processor) and, in open mode, "pending" steps of
    /// <see cref="WarmUpQuotes"/> quotes of their own, which end approved.
    /// </summary>
    private async Task WarmUpAsync(HttpClient bare, HttpClient service, CrmApi? api, QuoteRef[] warmQuotes)
    {
        var limit = TimeSpan.FromSeconds(options.WarmUpSeconds);
        var next = LoadOptions.MaxCount;
        var baseTime = Now() - 1000;
        SignedCallback Warm(int i) => warmQuotes.Length > 0 && i % 2 == 0
            ? _callbacks.OpenApprovalChange(warmQuotes[i / 2 % warmQuotes.Length].Number, 1, baseTime + i / 2 / warmQuotes.Length, i)
            : _callbacks.UnmatchedSysApprovalChange(i, Now());
        async Task<(int Sent, int Succeeded, string? FirstError, TimeSpan Elapsed)> RoundsAsync(HttpClient client)
        {
            var started = Stopwatch.GetTimestamp();
            var (sent, succeeded, firstError) = (0, 0, (string?)null);
            do
            {
                var round = Enumerable.Range(next, 200).Select(Warm).ToArray();
                next += round.Length;
                var result = await LoadRunner.RunAsync("warm-up", client, round, options.Concurrency, _phaseLimit);
                (sent, succeeded, firstError) = (sent + result.Sent, succeeded + result.Succeeded, firstError ?? result.FirstError);
            }
            while (Stopwatch.GetElapsedTime(started) < limit);

            return (sent, succeeded, firstError, Stopwatch.GetElapsedTime(started));
        }

        await RoundsAsync(bare);
        var warm = await RoundsAsync(service);
        var approve = warmQuotes.Select((q, i) => _callbacks.OpenApprovalChange(q.Number, 2, baseTime + next, next + i)).ToArray(); // after every pending step
        await LoadRunner.RunAsync("warm-up", service, approve, options.Concurrency, _phaseLimit);
        var drained = api is null ? null
            : await WaitUntilAsync(async () => await api.CallbackBacklogAsync(CancellationToken.None) == 0, Stopwatch.GetTimestamp());
        var processed = api is null ? "" : drained is { } d ? $"; processed {d.TotalSeconds:F1} s later" : "; NOT all processed within the phase limit";
        Line(string.Create(CultureInfo.InvariantCulture, $"Warm-up: {warm.Succeeded}/{warm.Sent} acknowledged by the service in {warm.Elapsed.TotalSeconds:F1} s")
             + (warm.FirstError is null ? "" : $" (first error: {warm.FirstError})") + processed);
    }

    private async Task<QuoteRef[]> CreateQuotesAsync(CrmApi api, int count)
    {
        if (count == 0)
        {
            return [];
        }

        using var deadline = new CancellationTokenSource(_phaseLimit);
        var quotes = new QuoteRef[count];
        var started = Stopwatch.GetTimestamp();
        // Sequential: quote numbers are max+1 of the day, so parallel creation mostly measures number collisions.
        for (var i = 0; i < count; i++)
        {
            quotes[i] = await api.CreateQuoteAsync(i, deadline.Token);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Line(string.Create(CultureInfo.InvariantCulture,
            $"Created {count} quotes through POST /api/quotes in {elapsed.TotalSeconds:F2} s ({count / elapsed.TotalSeconds:F0}/s, sequential)"));
        return quotes;
    }

    /// <summary>Per quote: pending at steps 0..E-2, approved at the last step; in step order across quotes.</summary>
    private SignedCallback[] BuildLoad(QuoteRef[] quotes)
    {
        var started = Stopwatch.GetTimestamp();
        var baseTime = Now() - options.EventsPerQuote;
        var load = options.OpenMode
            ? Enumerable.Range(0, options.Count)
                .Select(i => (Quote: i % quotes.Length, Step: i / quotes.Length))
                .Select(x => _callbacks.OpenApprovalChange(quotes[x.Quote].Number, x.Step == LastStepOf(x.Quote, quotes.Length) ? 2 : 1,
                    baseTime + x.Step, x.Step))
                .ToArray()
            : Enumerable.Range(0, options.Count).Select(i => _callbacks.UnmatchedSysApprovalChange(i, Now())).ToArray();
        Line(string.Create(CultureInfo.InvariantCulture,
            $"Signed and encrypted {load.Length} callbacks in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms (before timing)"));
        return load;
    }

    // The last step a quote gets: with N not a multiple of the quote count, the first quotes get one more.
    private int LastStepOf(int quoteIndex, int quoteCount) => (options.Count - 1 - quoteIndex) / quoteCount;

    /// <summary>Polls <paramref name="done"/> every 50 ms within the phase limit; the time since <paramref name="since"/> once it holds, else null.</summary>
    private async Task<TimeSpan?> WaitUntilAsync(Func<Task<bool>> done, long since)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_phaseLimit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (await done())
            {
                return Stopwatch.GetElapsedTime(since);
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>Sequential, on an idle inbox: post "pending" for a draft quote, then poll GET /api/quotes/{id}.</summary>
    private async Task<LatencySummary> MeasureVisibilityAsync(CrmApi api, HttpClient service, QuoteRef[] quotes)
    {
        var samples = new List<double>(quotes.Length);
        foreach (var quote in quotes)
        {
            var callback = _callbacks.OpenApprovalChange(quote.Number, 1, Now(), 0);
            var error = await LoadRunner.SendAsync(service, callback, CancellationToken.None, out _);
            if (error is not null)
            {
                Line($"Visibility sample for {quote.Number} refused: {error}");
                continue;
            }

            var acknowledged = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(acknowledged) < _visibilityTimeout)
            {
                if (await api.GetStatusAsync(quote.Id, CancellationToken.None) != "draft")
                {
                    samples.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
                    break;
                }

                await Task.Delay(_pollInterval);
            }
        }

        return LatencySummary.Of(samples);
    }

    private void Report(PhaseResult ceiling, PhaseResult service, TimeSpan? applied, LatencySummary visibility, int quotes)
    {
        Line("");
        Line("== Callback load report ==");
        Line(ceiling.ToString());
        Line(service.ToString());
        if (service.FirstError is not null)
        {
            Line($"  first service error: {service.FirstError}");
        }

        Line(string.Create(CultureInfo.InvariantCulture,
            $"Service / ceiling: throughput {service.Throughput / ceiling.Throughput * 100:F1} %, "
            + $"p50 latency x{service.Latency.P50 / ceiling.Latency.P50:F1}, p99 latency x{service.Latency.P99 / ceiling.Latency.P99:F1}"));
        if (options.OpenMode)
        {
            Line(applied is { } a
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Applied: all {quotes} quotes approved {a.TotalSeconds:F2} s after the burst began ({service.Succeeded / a.TotalSeconds:F1} events/s end to end)")
                : $"Applied: NOT all {quotes} quotes approved within {options.MaxSecondsPerPhase} s");
        }

        Line(visibility.Count == 0
            ? "Acknowledged -> visible: not measured"
            : $"Acknowledged -> visible via GET /api/quotes/{{id}} ({visibility.Count} sequential samples, polled every {_pollInterval.TotalMilliseconds:F0} ms): "
              + visibility);
    }

    /// <summary>
    /// The service's CPU per acknowledged callback while the timed phase ran (all of its threads: requests, the inbox
    /// writer, and whatever processing ran meanwhile), and in open mode until every callback was applied.
    /// </summary>
    private void ReportCpu(PhaseResult service, TimeSpan? acknowledging, TimeSpan? toApplied)
    {
        if (acknowledging is not { } cpu || service.Succeeded == 0)
        {
            return;
        }

        double PerCallback(TimeSpan t) => t.TotalMicroseconds / service.Succeeded;
        var untilApplied = toApplied is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"; until all were applied: {PerCallback(t):F0} µs per callback")
            : "";
        Line(string.Create(CultureInfo.InvariantCulture,
            $"Service CPU while acknowledging: {cpu.TotalSeconds:F2} s in {service.Elapsed.TotalSeconds:F2} s ({cpu / service.Elapsed:F2} of {Environment.ProcessorCount} cores), {PerCallback(cpu):F0} µs per callback{untilApplied}"));
    }

    /// <summary>The service process's CPU time so far; null without <see cref="LoadOptions.ServicePid"/>.</summary>
    private TimeSpan? ServiceCpu()
    {
        if (options.ServicePid == 0)
        {
            return null;
        }

        using var process = Process.GetProcessById(options.ServicePid);
        return process.TotalProcessorTime;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static void Line(string text) => Console.WriteLine(text);
}
