namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>Section "WeCom:Sync": the periodic compensation sync and its reconciliation sweep (ADR-7, ADR-9). Its calls come from <see cref="WeComCallBudgetOptions"/>.</summary>
public sealed class WeComSyncOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How far back the reconciliation sweep looks for forms (at most 31 days).</summary>
    public TimeSpan ReconcileWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A submission whose outcome was unknown, and that reconciliation cannot find after this, is abandoned.</summary>
    public TimeSpan SubmissionGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one instance holds an approval while it syncs it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
}
