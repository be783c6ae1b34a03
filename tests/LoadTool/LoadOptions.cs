using System.Globalization;
using System.Net;

namespace CrmIntegration.LoadTool;

/// <summary>Command-line settings for <c>run</c>; every count and wait is bounded.</summary>
internal sealed class LoadOptions
{
    public const int MaxCount = 100_000;
    public const int MaxConcurrency = 256;

    public required Uri ServiceUrl { get; init; }

    public int Count { get; init; } = 2000;

    public int Concurrency { get; init; } = 16;

    /// <summary>open: open_approval_change for quotes created first through the API; sys: unmatched sys_approval_change.</summary>
    public string Mode { get; init; } = "open";

    public int EventsPerQuote { get; init; } = 10;

    public int VisibilitySamples { get; init; } = 50;

    public int MaxSecondsPerPhase { get; init; } = 120;

    /// <summary>Callbacks per second of the live-status phase (0: no such phase).</summary>
    public int LiveRate { get; init; }

    public int LiveSeconds { get; init; } = 20;

    /// <summary>Open loop: callbacks per second of the timed phases (0: closed loop with <see cref="Concurrency"/> senders).</summary>
    public int Rate { get; init; }

    /// <summary>
    /// Seconds of warm-up load per target before the timed phases (the service JIT-compiles and tiers up some 20,000
    /// methods: timing a cold service measures its compiler); at least one round of 200 callbacks either way.
    /// </summary>
    public int WarmUpSeconds { get; init; } = 15;

    /// <summary>
    /// The service's process id on this machine (0: not given): its CPU time is read around the timed phase, the figure
    /// that bounds throughput on a shared CPU and moves far less between runs than requests per second do.
    /// </summary>
    public int ServicePid { get; init; }

    public string? SigningKey { get; init; }

    public string Issuer { get; init; } = "crm-load";

    public string Audience { get; init; } = "crm-load";

    // Official vector B (docs/wecom.md §8), the settings build/load-callbacks.sh gives the service.
    public string Token { get; init; } = "QDG6eK";

    public string EncodingAesKey { get; init; } = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    public string CorpId { get; init; } = "wx5823bf96d3bd56c7";

    public bool OpenMode => Mode == "open";

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        string? Get(string name) => values.Remove(name, out var value) ? value : null;
        int Int(string name, int fallback, int min, int max)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new ArgumentException($"--{name} must be a whole number from {min} to {max}.");
        }

        var url = new Uri(Get("url") ?? throw new ArgumentException("--url is required (e.g. http://127.0.0.1:5080)."));
        RequireLoopback(url);
        var options = new LoadOptions
        {
            ServiceUrl = url,
            Count = Int("count", 2000, 1, MaxCount),
            Concurrency = Int("concurrency", 16, 1, MaxConcurrency),
            Mode = Get("mode") ?? "open",
            EventsPerQuote = Int("events-per-quote", 10, 1, 1000),
            VisibilitySamples = Int("visibility-samples", 50, 0, 1000),
            MaxSecondsPerPhase = Int("max-seconds", 120, 5, 280),
            LiveRate = Int("live-rate", 0, 0, 500),
            LiveSeconds = Int("live-seconds", 20, 1, 120),
            Rate = Int("rate", 0, 0, 5000),
            WarmUpSeconds = Int("warmup-seconds", 15, 0, 120),
            ServicePid = Int("service-pid", 0, 0, int.MaxValue),
            SigningKey = Get("signing-key"),
            Issuer = Get("issuer") ?? "crm-load",
            Audience = Get("audience") ?? "crm-load",
            Token = Get("token") ?? "QDG6eK",
            EncodingAesKey = Get("aes-key") ?? "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
            CorpId = Get("corp-id") ?? "wx5823bf96d3bd56c7",
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}.");
        }

        if (options.Mode is not ("open" or "sys"))
        {
            throw new ArgumentException("--mode must be open or sys.");
        }

        if ((options.OpenMode || options.VisibilitySamples > 0 || options.LiveRate > 0) && string.IsNullOrEmpty(options.SigningKey))
        {
            throw new ArgumentException("--signing-key (Base64) is needed to create and read quotes; or use --mode sys --visibility-samples 0.");
        }

        return options;
    }

    /// <summary>This tool generates load; it only ever points it at this machine.</summary>
    public static void RequireLoopback(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp
            || !(url.IsLoopback && (url.Host == "localhost" || IPAddress.TryParse(url.Host, out var ip) && IPAddress.IsLoopback(ip))))
        {
            throw new ArgumentException($"Only http:// loopback targets are allowed, not '{url}'.");
        }
    }
}
