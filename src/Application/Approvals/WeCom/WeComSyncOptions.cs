namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>Section "WeCom:Sync": the periodic compensation sync and its reconciliation sweep (ADR-7, ADR-9). Its calls come from <see cref="WeComCallBudgetOptions"/>.</summary>
public sealed class WeComSyncOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How far back the reconciliation sweep looks for forms (at most 31 days).</summary>
    public TimeSpan ReconcileWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A submission whose outcome was unknown, and that reconciliation cannot find after this, is abandoned.</summary>
    public TimeSpan SubmissionGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How far back the approval lists are paged (ADR-27; at most 31 days, getapprovalinfo's span): open approvals
    /// submitted within it are confirmed pending by the list pages; older ones are read one by one every
    /// <see cref="OldApprovalInterval"/>.
    /// </summary>
    public TimeSpan ListWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often an open approval older than <see cref="ListWindow"/> is read back (one call each).</summary>
    public TimeSpan OldApprovalInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Approvals approved within this look-back (by submission time) are checked every interval for a revoke
    /// (sp_status 6) or deletion (7) whose callback was lost; 0 turns the check off. At most <see cref="ListWindow"/>.
    /// </summary>
    public TimeSpan RevokeLookBack { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long one instance holds an approval while it syncs it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
}
