using System.Globalization;

namespace CrmIntegration.LoadTool;

/// <summary>Percentiles (nearest rank) over recorded latencies in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = milliseconds.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(sorted.Length, Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50,7:F2} ms  p95 {P95,7:F2} ms  p99 {P99,7:F2} ms  max {Max,7:F2} ms");
}
