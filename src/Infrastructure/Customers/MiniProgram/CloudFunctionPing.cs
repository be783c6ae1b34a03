using CrmIntegration.Application.Customers.NotifyEmployee;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>
/// The cloud function's dry run for the integration check: invokecloudfunction with {"action":"ping"} (the sample
/// function answers {ok: true, action: "ping", version} and sends nothing), through the same token handling as a send.
/// </summary>
internal sealed class CloudFunctionPing(
    IHttpClientFactory http,
    StableTokenProvider tokens,
    IOptions<MiniProgramOptions> options,
    ILogger<CloudFunctionPing> logger) : MiniProgramSender(http, tokens, logger)
{
    public const string Event = """{"action":"ping"}""";

    public async Task<PingAnswer> PingAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var env = Uri.EscapeDataString(o.CloudEnv ?? "");
        var name = Uri.EscapeDataString(o.CloudFunctionName);
        var answer = await PostWithTokenAsync(token => $"tcb/invokecloudfunction?access_token={token}&env={env}&name={name}", Event, cancellationToken);
        return new PingAnswer(answer.ErrorCode, answer.ErrMsg, answer.Body?["resp_data"]?.ToString(), answer.TransportError);
    }
}

/// <summary>WeChat's errcode and errmsg, the function's answer (resp_data), or why there was no answer.</summary>
internal sealed record PingAnswer(int? ErrorCode, string? ErrMsg, string? RespData, string? TransportError);
