namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>
/// Section "WeCom:CallBudget": the WeCom calls every instance together may make per minute, counted in the database
/// (<see cref="WeComApi.WeComCallBudget"/>). WeCom allows 600/min per corp for the approval read APIs.
/// </summary>
public sealed class WeComCallBudgetOptions
{
    public const int WeComLimitPerMinute = 600;

    /// <summary>Calls per minute for all instances together: the sync, its reconciliation sweep and submissions (1-600).</summary>
    public int PerMinute { get; set; } = 500;

    /// <summary>
    /// Of <see cref="PerMinute"/>, the calls background work (sync, reconciliation) leaves for submissions every minute.
    /// Submissions are always made and counted; background work stops once the minute's count reaches
    /// <see cref="BackgroundShare"/>.
    /// </summary>
    public int SubmissionReserve { get; set; } = 50;

    /// <summary>The count background work may bring a minute to.</summary>
    public int BackgroundShare => PerMinute - SubmissionReserve;
}
