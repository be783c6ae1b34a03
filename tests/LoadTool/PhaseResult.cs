using System.Globalization;

namespace CrmIntegration.LoadTool;

/// <summary>One timed burst against one target.</summary>
internal sealed record PhaseResult(string Target, int Sent, int Succeeded, int Errors, TimeSpan Elapsed, LatencySummary Latency, string? FirstError)
{
    public double Throughput => Succeeded / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Target,-26} {Succeeded,6}/{Sent,-6} ok  {Errors,5} errors  {Elapsed.TotalSeconds,7:F2} s  {Throughput,9:F1} req/s  {Latency}");
}
