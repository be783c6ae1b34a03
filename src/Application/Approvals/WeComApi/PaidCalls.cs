namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>
/// Background WeCom calls paid from the shared budget (<see cref="WeComCallBudget"/>) a few at a time (one budget
/// update per call would take the database's writer as often) and spent one by one.
/// </summary>
internal sealed class PaidCalls(WeComCallBudget budget)
{
    private int _held;

    public int Made { get; private set; }

    /// <summary>Pays for one call, taking up to <paramref name="wanted"/> from the budget when none is held; false when the minute's share is spent.</summary>
    public async Task<bool> TryPayAsync(int wanted, CancellationToken ct)
    {
        if (_held == 0)
        {
            _held = await budget.TakeForBackgroundAsync(Math.Max(1, wanted), ct);
        }

        if (_held == 0)
        {
            return false;
        }

        _held--;
        Made++;
        return true;
    }
}
