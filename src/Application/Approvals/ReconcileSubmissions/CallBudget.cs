namespace CrmIntegration.Application.Approvals.ReconcileSubmissions;

/// <summary>WeCom allows 600 calls a minute to the approval read APIs; one sync run spends at most this many.</summary>
internal sealed class CallBudget(int limit)
{
    public int Used { get; private set; }

    public bool Exhausted => Used >= limit;

    public int Remaining => Math.Max(0, limit - Used);

    /// <summary>Takes one call; false when none is left.</summary>
    public bool TryTake()
    {
        if (Exhausted)
        {
            return false;
        }

        Used++;
        return true;
    }
}
