using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Infrastructure.Customers.MiniProgram;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CrmIntegration.Infrastructure.Admin.IntegrationCheck;

/// <summary>5. stable_token accepts the mini-program's AppID and AppSecret (the cached token is used when there is one).</summary>
internal sealed class StableTokenCheck(IOptions<MiniProgramOptions> options, StableTokenProvider tokens) : IIntegrationCheck
{
    public const string CheckName = "miniprogram-stable-token";

    public string Name => CheckName;

    public string? DependsOn => null;

    public async Task<IntegrationCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Configured)
        {
            return IntegrationCheckResult.Skipped(Name, "The mini-program is not configured: notifications wait as pending.",
                $"To send notifications, {FeatureReport.MiniProgramOff}.");
        }

        var before = tokens.Fetches;
        try
        {
            await tokens.GetAsync(cancellationToken);
            return IntegrationCheckResult.Ok(Name, tokens.Fetches > before
                ? $"stable_token answered an access token for app {o.AppId}."
                : $"An access token for app {o.AppId} is cached (stable_token accepted these credentials within its lifetime); not fetched again.");
        }
        catch (WeChatApiException e)
        {
            return IntegrationCheckResult.Failed(Name, e.ErrorCode, e.Message, PartnerHints.WeChat(e.ErrorCode));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
                                  && e is HttpRequestException or TaskCanceledException or TimeoutRejectedException or BrokenCircuitException)
        {
            return IntegrationCheckResult.Failed(Name, null, $"No answer from WeChat ({e.GetType().Name}).", NoAnswerHint(o));
        }
    }

    internal static string NoAnswerHint(MiniProgramOptions o) =>
        $"Check MiniProgram:ApiBaseUrl ({o.ApiBaseUrl}) and outbound HTTPS from this server to it (proxy, firewall, DNS).";
}
