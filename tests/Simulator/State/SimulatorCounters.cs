namespace CrmIntegration.Simulator.State;

/// <summary><see cref="Calls"/>: every request per API path, failed and injected ones included.</summary>
public sealed record SimulatorCounters(
    int CorpTokenFetches,
    int StableTokenFetches,
    IReadOnlyDictionary<string, int> Calls)
{
    public int CallsTo(string path) => Calls.TryGetValue(path, out var n) ? n : 0;
}
