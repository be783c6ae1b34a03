using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Infrastructure.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>
/// The mini-program access token from POST cgi-bin/stable_token in normal mode (force_refresh false: every
/// instance gets the same live token, none invalidates another's). Cached until expires_in − 300 s; one
/// fetch at a time. The token is never logged.
/// </summary>
internal sealed class StableTokenProvider(
    IHttpClientFactory http,
    IOptions<MiniProgramOptions> options,
    TimeProvider clock,
    ILogger<StableTokenProvider> logger) : IDisposable
{
    internal static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(300);

    private readonly SingleFlightToken _token = new(clock);

    /// <summary>How many times the token was fetched (for tests and diagnostics).</summary>
    public int Fetches { get; private set; }

    public Task<string> GetAsync(CancellationToken ct) => _token.GetAsync(FetchAsync, ct);

    /// <summary>WeChat refused <paramref name="token"/>: forget it, unless another caller already replaced it.</summary>
    public void Invalidate(string token) => _token.Invalidate(token);

    public void Dispose() => _token.Dispose();

    private async Task<(string Token, DateTimeOffset UseUntil)> FetchAsync(CancellationToken ct)
    {
        var o = options.Value;
        var client = http.CreateClient(MiniProgramHttp.ClientName);
        using var response = await client.PostAsJsonAsync(
            "cgi-bin/stable_token",
            new { grant_type = "client_credential", appid = o.AppId, secret = o.AppSecret, force_refresh = false },
            ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"stable_token answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject
                   ?? throw new WeChatApiException(WeChatApiCodes.BadResponse, "stable_token: the answer is not a JSON object.");
        Fetches++;
        var token = body["access_token"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token))
        {
            var code = WeChatApiCodes.ErrorCodeOf(body) ?? WeChatApiCodes.BadResponse;
            var message = body["errmsg"]?.ToString() ?? "";
            logger.LogWarning("WeChat stable_token refused: errcode {ErrCode} {ErrMsg}", code, message); // errmsg carries the rid
            throw new WeChatApiException(code, $"stable_token: errcode {code} {message}");
        }

        var expiresIn = TimeSpan.FromSeconds(body["expires_in"]?.GetValue<int>() ?? 0);
        var lifetime = expiresIn - RefreshMargin;
        logger.LogInformation("WeChat access token fetched; expires in {ExpiresIn}", expiresIn);
        return (token, clock.GetUtcNow() + (lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero));
    }
}
