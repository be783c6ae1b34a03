namespace CrmIntegration.Application.Approvals.SyncPendingApprovals;

/// <param name="Synced">Open approvals whose status was read from WeCom one by one.</param>
/// <param name="Changed">Approvals that moved (a callback had been missed): read ones, and approved ones the list scan found revoked.</param>
/// <param name="Reconciled">Forms found by the sweep that we had lost track of (lost applyevent answers).</param>
/// <param name="Abandoned">Submissions with an unknown outcome that the sweep proved never reached WeCom.</param>
/// <param name="Failed">Approvals that could not be synced this run (they are tried again next run).</param>
/// <param name="Calls">WeCom API calls made.</param>
/// <param name="RateLimited">WeCom answered 45009/45033: the run stopped early.</param>
/// <param name="BudgetSpent">The minute's shared call budget (WeCom:CallBudget) ran out: the run stopped early.</param>
/// <param name="Listed">Open approvals the list scan found still pending, with no read of their own (ADR-27).</param>
public sealed record SyncReport(int Synced, int Changed, int Reconciled, int Abandoned, int Failed, int Calls, bool RateLimited, bool BudgetSpent,
    int Listed = 0)
{
    public static readonly SyncReport Empty = new(0, 0, 0, 0, 0, 0, false, false);
}
