namespace CrmIntegration.Infrastructure.Common;

/// <summary>
/// One cached access token: used until it expires, fetched by one caller at a time (the others wait for that
/// fetch), and forgotten when the partner refuses it, unless another caller has already replaced it.
/// </summary>
public sealed class SingleFlightToken(TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Cached? _cached;

    /// <param name="fetch">Fetches a token and says until when to use it.</param>
    public async Task<string> GetAsync(Func<CancellationToken, Task<(string Token, DateTimeOffset UseUntil)>> fetch, CancellationToken ct)
    {
        if (Current() is { } fresh)
        {
            return fresh;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (Current() is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            var (token, useUntil) = await fetch(ct);
            _cached = new Cached(token, useUntil);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate(string token)
    {
        var cached = _cached;
        if (cached is not null && cached.Token == token)
        {
            Interlocked.CompareExchange(ref _cached, null, cached);
        }
    }

    public void Dispose() => _gate.Dispose();

    private string? Current() => _cached is { } c && clock.GetUtcNow() < c.UseUntil ? c.Token : null;

    private sealed record Cached(string Token, DateTimeOffset UseUntil);
}
