using CrmIntegration.Application.Approvals.WeCom;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>
/// One WeCom call budget per minute for every instance (<c>WeCom:CallBudget</c>): background work (the sync and its
/// reconciliation sweep) takes calls only while the minute's count stays within
/// <see cref="WeComCallBudgetOptions.BackgroundShare"/>; a submission is never refused or made to wait, it is only
/// counted, so the background work of the rest of the minute has that much less.
/// </summary>
internal sealed class WeComCallBudget(IWeComCallCounter counter, IOptions<WeComOptions> options)
{
    /// <summary>Up to <paramref name="calls"/> for background work; 0 when this minute's share is spent.</summary>
    public Task<int> TakeForBackgroundAsync(int calls, CancellationToken ct) =>
        calls <= 0 ? Task.FromResult(0) : counter.TakeAsync(calls, options.Value.CallBudget.BackgroundShare, ct);

    /// <summary>Counts one applyevent: a submission always goes through (ADR on the shared budget).</summary>
    public Task CountSubmissionAsync(CancellationToken ct) => counter.AddAsync(1, ct);
}
