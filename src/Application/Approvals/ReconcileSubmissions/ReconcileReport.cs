namespace CrmIntegration.Application.Approvals.ReconcileSubmissions;

/// <param name="Reconciled">Forms found by the sweep that we had lost track of (lost applyevent answers), tied or adopted.</param>
/// <param name="Abandoned">Submissions with an unknown outcome that the complete sweep proved never reached WeCom.</param>
/// <param name="Failed">Forms that could not be settled this time (the next sweep looks again).</param>
/// <param name="Calls">WeCom API calls made.</param>
/// <param name="BudgetSpent">The minute's shared call budget ran out before the sweep was complete (the next run sweeps again).</param>
public sealed record ReconcileReport(int Reconciled, int Abandoned, int Failed, int Calls, bool BudgetSpent);
