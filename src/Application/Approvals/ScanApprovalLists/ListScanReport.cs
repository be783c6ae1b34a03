namespace CrmIntegration.Application.Approvals.ScanApprovalLists;

/// <param name="Scanned">This run held the scan (false: another instance scanned within this interval).</param>
/// <param name="Listed">Open approvals WeCom still lists as pending: confirmed without a read of their own.</param>
/// <param name="Changed">Open approvals no longer listed as pending: made due for one detail read each.</param>
/// <param name="Revoked">Approved approvals found revoked or deleted, and applied.</param>
/// <param name="Calls">getapprovalinfo pages read.</param>
/// <param name="BudgetSpent">The minute's shared budget ran out before every list was read.</param>
/// <param name="Failed">WeCom refused or did not answer a page.</param>
/// <param name="RateLimited">WeCom answered 45009/45033: the sync run stops.</param>
/// <param name="PendingOfOurTemplate">Every pending form of our template in the window (reconciliation adopts the unknown ones).</param>
public sealed record ListScanReport(
    bool Scanned, int Listed, int Changed, int Revoked, int Calls, bool BudgetSpent, bool Failed, IReadOnlySet<string>? PendingOfOurTemplate,
    bool RateLimited = false)
{
    public static readonly ListScanReport NotDue = new(false, 0, 0, 0, 0, false, false, null);
}
