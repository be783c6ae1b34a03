namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>Section "WeCom:Callback": how stored callbacks are accepted and processed.</summary>
public sealed class WeComCallbackOptions
{
    /// <summary>Callbacks whose timestamp is further than this from now are refused; <see cref="TimeSpan.Zero"/> turns the check off.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts at processing a stored callback before it is marked failed.</summary>
    public int MaxProcessingAttempts { get; set; } = 8;

    /// <summary>
    /// An event whose own time (CreateTime) lies more than this after its receipt is ordered by its receipt instead,
    /// and the timeline keeps its own time as reported_occurred_at: one wrong clock must not make later events stale.
    /// </summary>
    public TimeSpan FutureEventTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
