using System.Collections.Concurrent;
using System.Text.Json;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Api;

/// <summary>
/// gettoken results per (corpid, secret), shared by every caller in the process: cached until shortly before
/// expires_in, fetched by one caller at a time (the others wait for that fetch), dropped when WeCom rejects it.
/// </summary>
internal sealed class WeComTokenCache(TimeProvider clock)
{
    internal static readonly TimeSpan RenewEarly = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string CorpId, string Secret), Entry> _entries = new();

    public async Task<string> GetAsync(string corpId, string secret, Func<CancellationToken, Task<(string Token, int ExpiresIn)>> fetch, CancellationToken ct)
    {
        var entry = _entries.GetOrAdd((corpId, secret), _ => new Entry());
        if (entry.Current(clock) is { } cached)
        {
            return cached;
        }

        await entry.Gate.WaitAsync(ct);
        try
        {
            if (entry.Current(clock) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            var (token, expiresIn) = await fetch(ct);
            var lifetime = TimeSpan.FromSeconds(expiresIn);
            entry.Set(token, clock.GetUtcNow() + (lifetime > RenewEarly * 2 ? lifetime - RenewEarly : lifetime / 2));
            return token;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> if it is still the cached one (not a newer one another caller fetched).</summary>
    public void Invalidate(string corpId, string secret, string token)
    {
        if (_entries.TryGetValue((corpId, secret), out var entry))
        {
            entry.Clear(token);
        }
    }

    private sealed class Entry
    {
        private readonly Lock _lock = new();
        private string? _token;
        private DateTimeOffset _expiresAt;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string? Current(TimeProvider clock)
        {
            lock (_lock)
            {
                return _token is not null && clock.GetUtcNow() < _expiresAt ? _token : null;
            }
        }

        public void Set(string token, DateTimeOffset expiresAt)
        {
            lock (_lock)
            {
                (_token, _expiresAt) = (token, expiresAt);
            }
        }

        public void Clear(string token)
        {
            lock (_lock)
            {
                if (_token == token)
                {
                    _token = null;
                }
            }
        }
    }
}
