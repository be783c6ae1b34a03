namespace CrmIntegration.Simulator.State;

/// <summary>
/// The outcome of WeCom's "save and test": <see cref="Ok"/> when the URL answered 200 with exactly
/// <see cref="Expected"/> (no quotes, BOM or newline). WeCom also wants it within a second.
/// </summary>
public sealed record CallbackUrlCheck(
    bool Ok,
    string Url,
    int? StatusCode,
    string Expected,
    string? Body,
    long ElapsedMilliseconds,
    string? Error);
