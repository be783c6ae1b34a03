using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmIntegration.Application.Customers.NotifyEmployee;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>
/// What both channels share: a POST with the access token in the query (never logged: no URLs in logs),
/// one token refetch and one retry when WeChat says the token is invalid or expired, and every transport
/// failure turned into an answer rather than an exception.
/// </summary>
internal abstract class MiniProgramSender(IHttpClientFactory http, StableTokenProvider tokens, ILogger logger)
{
    protected async Task<Answer> PostWithTokenAsync(Func<string, string> pathWithToken, string json, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            string token;
            try
            {
                token = await tokens.GetAsync(ct);
            }
            catch (WeChatApiException e)
            {
                return Answer.NoAnswer(e.Message);
            }
            catch (Exception e) when (IsTransport(e, ct))
            {
                return Answer.NoAnswer($"stable_token: {Describe(e)}");
            }

            JsonObject body;
            try
            {
                var client = http.CreateClient(MiniProgramHttp.ClientName);
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(pathWithToken(Uri.EscapeDataString(token)), content, ct);
                if (!response.IsSuccessStatusCode)
                {
                    return Answer.NoAnswer($"HTTP {(int)response.StatusCode}");
                }

                if (JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) is not JsonObject parsed)
                {
                    return Answer.NoAnswer("The answer is not a JSON object.");
                }

                body = parsed;
            }
            catch (Exception e) when (IsTransport(e, ct))
            {
                return Answer.NoAnswer(Describe(e));
            }

            var code = WeChatApiCodes.ErrorCodeOf(body);
            if (code is { } c && WeChatErrorCodes.IsTokenError(c) && attempt == 1)
            {
                logger.LogWarning("WeChat refused the access token (errcode {ErrCode}); fetching it again once", c);
                tokens.Invalidate(token);
                continue;
            }

            return new Answer(body, code, null);
        }
    }

    protected static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    private static bool IsTransport(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is HttpRequestException or TaskCanceledException or TimeoutRejectedException
            or BrokenCircuitException or JsonException;

    /// <summary>The parsed answer with its errcode, or why there was none (transient).</summary>
    protected sealed record Answer(JsonObject? Body, int? ErrorCode, string? TransportError)
    {
        public static Answer NoAnswer(string error) => new(null, null, error);

        public string? ErrMsg => Body?["errmsg"]?.ToString();
    }
}
