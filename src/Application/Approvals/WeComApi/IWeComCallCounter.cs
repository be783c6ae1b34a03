namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>
/// The WeCom calls every instance made in the current minute (by the app's clock), held in the database so that all
/// instances spend one budget. Each operation is atomic across instances; the policy of who may spend what is
/// <see cref="WeComCallBudget"/>'s.
/// </summary>
public interface IWeComCallCounter
{
    /// <summary>
    /// Adds up to <paramref name="calls"/> to this minute's count without taking it past <paramref name="ceiling"/>;
    /// returns how many were added: <paramref name="calls"/>, fewer when only fewer fit, 0 when the minute is spent.
    /// </summary>
    Task<int> TakeAsync(int calls, int ceiling, CancellationToken ct);

    /// <summary>Adds <paramref name="calls"/> to this minute's count whatever it holds.</summary>
    Task AddAsync(int calls, CancellationToken ct);
}
