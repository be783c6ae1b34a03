using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Infrastructure.Telemetry;

/// <summary>The <c>Health</c> section: thresholds of <c>/health/status</c>.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Work waiting longer than this in the inbox or the outbox makes the status Degraded.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxBacklogAge { get; set; } = TimeSpan.FromMinutes(5);
}
