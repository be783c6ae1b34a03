using System.Collections.Concurrent;
using CrmIntegration.Infrastructure.Common;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Api;

/// <summary>
/// gettoken results per (corpid, secret), shared by every caller in the process: cached until shortly before
/// expires_in, fetched by one caller at a time, dropped when WeCom rejects it.
/// </summary>
internal sealed class WeComTokenCache(TimeProvider clock) : IDisposable
{
    internal static readonly TimeSpan RenewEarly = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string CorpId, string Secret), SingleFlightToken> _tokens = new();

    public Task<string> GetAsync(string corpId, string secret, Func<CancellationToken, Task<(string Token, int ExpiresIn)>> fetch, CancellationToken ct) =>
        _tokens.GetOrAdd((corpId, secret), _ => new SingleFlightToken(clock)).GetAsync(async c =>
        {
            var (token, expiresIn) = await fetch(c);
            var lifetime = TimeSpan.FromSeconds(expiresIn);
            return (token, clock.GetUtcNow() + (lifetime > RenewEarly * 2 ? lifetime - RenewEarly : lifetime / 2));
        }, ct);

    public void Invalidate(string corpId, string secret, string token)
    {
        if (_tokens.TryGetValue((corpId, secret), out var cached))
        {
            cached.Invalidate(token);
        }
    }

    public void Dispose()
    {
        foreach (var token in _tokens.Values)
        {
            token.Dispose();
        }
    }
}
