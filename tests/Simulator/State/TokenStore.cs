using System.Security.Cryptography;

namespace CrmIntegration.Simulator.State;

/// <summary>
/// One live access token at a time. A fetch returns the live token with its remaining lifetime (WeCom's gettoken and
/// WeChat's stable_token in normal mode); <see cref="Issue"/> with force replaces it, and the old one stops working.
/// </summary>
internal sealed class TokenStore(TimeProvider clock, int lifetimeSeconds)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IssuedToken> _issued = new(StringComparer.Ordinal);
    private IssuedToken? _live;

    public int Fetches { get; private set; }

    public (string Token, int ExpiresIn) Issue(bool force = false)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            Fetches++;
            if (force || _live is null || _live.Revoked || _live.ExpiresAt <= now)
            {
                if (_live is not null && force)
                {
                    _live.Superseded = true;
                }

                // Longer than any real token so that a client storing fewer than 512 bytes still works, and
                // unguessable so that a test cannot pass by hard-coding one.
                _live = new IssuedToken(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(64)), now.AddSeconds(lifetimeSeconds));
                _issued[_live.Value] = _live;
            }

            return (_live.Value, (int)Math.Max(0, Math.Ceiling((_live.ExpiresAt - now).TotalSeconds)));
        }
    }

    public TokenCheck Check(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TokenCheck.Missing;
        }

        lock (_gate)
        {
            if (!_issued.TryGetValue(token, out var issued))
            {
                return TokenCheck.Unknown;
            }

            if (issued.Superseded)
            {
                return TokenCheck.Superseded;
            }

            return issued.Revoked || issued.ExpiresAt <= clock.GetUtcNow() ? TokenCheck.Expired : TokenCheck.Valid;
        }
    }

    /// <summary>WeCom may revoke a token early: the next call with it gets 42001.</summary>
    public void RevokeLive()
    {
        lock (_gate)
        {
            _live?.Revoked = true;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _issued.Clear();
            _live = null;
            Fetches = 0;
        }
    }

    private sealed class IssuedToken(string value, DateTimeOffset expiresAt)
    {
        public string Value { get; } = value;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool Revoked { get; set; }

        public bool Superseded { get; set; }
    }
}
