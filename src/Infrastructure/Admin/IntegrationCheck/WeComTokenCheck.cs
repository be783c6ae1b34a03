using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Infrastructure.Approvals.WeCom.Api;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Admin.IntegrationCheck;

/// <summary>2. gettoken accepts the corp id and secret. A cached token is used as it is: gettoken is rate-limited too.</summary>
internal sealed class WeComTokenCheck(IOptions<WeComOptions> options, WeComApiClient client) : IIntegrationCheck
{
    public const string CheckName = "wecom-gettoken";

    public string Name => CheckName;

    public string? DependsOn => WeComSettingsCheck.CheckName;

    public async Task<IntegrationCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.ApiConfigured)
        {
            return IntegrationCheckResult.Skipped(Name, "The WeCom API is off.", $"To submit and sync approvals, {FeatureReport.WeComApiOff}.");
        }

        try
        {
            var fetched = await client.EnsureTokenAsync(cancellationToken);
            return IntegrationCheckResult.Ok(Name, fetched
                ? $"gettoken answered an access token for corp {o.CorpId}."
                : $"An access token for corp {o.CorpId} is cached (gettoken accepted this secret within the token's lifetime); not fetched again.");
        }
        catch (WeComApiException e)
        {
            return IntegrationCheckResult.Failed(Name, e.ErrCode, $"gettoken answered {e.ErrCode}: {e.ErrMsg}", PartnerHints.WeCom(e.ErrCode));
        }
        catch (WeComApiUnavailableException e)
        {
            return IntegrationCheckResult.Failed(Name, null, $"No answer from WeCom ({e.InnerException?.GetType().Name}).", NoAnswerHint(o));
        }
    }

    internal static string NoAnswerHint(WeComOptions o) =>
        $"Check WeCom:ApiBaseUrl ({o.ApiBaseUrl}) and outbound HTTPS from this server to it (proxy, firewall, DNS).";
}
