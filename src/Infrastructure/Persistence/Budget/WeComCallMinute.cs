namespace CrmIntegration.Infrastructure.Persistence.Budget;

/// <summary>
/// The WeCom calls all instances made in one minute (the shared call budget's counter, <c>wecom_call_budget</c>).
/// Written only by set-based statements in <see cref="Approvals.WeCom.Budget.WeComCallCounter"/>; never tracked.
/// </summary>
internal sealed class WeComCallMinute
{
    public const string Table = "wecom_call_budget";

    private WeComCallMinute()
    {
    } // EF

    /// <summary>Whole minutes since the Unix epoch, by the instance's clock.</summary>
    public long UnixMinute { get; private set; }

    public int Calls { get; private set; }
}
