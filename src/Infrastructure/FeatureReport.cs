using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Customers.NotifyEmployee;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure;

/// <summary>Says once at start-up which integrations are on, so an unconfigured one is never a surprise.</summary>
public sealed class FeatureReport(IOptions<WeComOptions> weCom, IOptions<MiniProgramOptions> miniProgram, IOptions<NotificationsOptions> notifications, ILogger<FeatureReport> logger)
{
    // What turns each feature on: said at start-up and by the integration check.
    public const string WeComCallbacksOff = "set WeCom:CorpId, WeCom:Token and WeCom:EncodingAesKey to turn them on";
    public const string WeComApiOff = "set WeCom:CorpId and WeCom:Secret to turn it on";
    public const string MiniProgramOff = "set MiniProgram:AppId, MiniProgram:AppSecret, MiniProgram:TemplateId and MiniProgram:CloudEnv to turn them on";

    public void Log()
    {
        var w = weCom.Value;
        if (w.CallbacksConfigured)
        {
            logger.LogInformation("WeCom callbacks: on for corp {CorpId}", w.CorpId);
        }
        else
        {
            logger.LogWarning("WeCom callbacks: off; {HowToTurnOn}", WeComCallbacksOff);
        }

        if (w.ApiConfigured)
        {
            logger.LogInformation("WeCom API (submit, sync): on at {ApiBaseUrl}", w.ApiBaseUrl);
        }
        else
        {
            logger.LogWarning("WeCom API (submit, sync): off; {HowToTurnOn}", WeComApiOff);
        }

        var m = miniProgram.Value;
        if (m.Configured)
        {
            logger.LogInformation("Mini-program notifications: on for app {AppId} through {Channel}", m.AppId, notifications.Value.Channel);
        }
        else
        {
            logger.LogWarning("Mini-program notifications: off (assignments still queue them); {HowToTurnOn}", MiniProgramOff);
        }
    }
}
