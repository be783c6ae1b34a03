using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.NotifyEmployee;

internal sealed class MiniProgramOptionsValidator(IOptions<NotificationsOptions> notifications) : IValidateOptions<MiniProgramOptions>
{
    public ValidateOptionsResult Validate(string? name, MiniProgramOptions o)
    {
        var errors = new List<string>();
        if (o.Configured)
        {
            if (string.IsNullOrWhiteSpace(o.TemplateId))
            {
                errors.Add("MiniProgram:TemplateId is required when the mini-program is configured: every notification is a subscription message.");
            }

            if (notifications.Value.Channel == NotificationChannel.CloudFunction)
            {
                if (string.IsNullOrWhiteSpace(o.CloudEnv))
                {
                    errors.Add("MiniProgram:CloudEnv (MINIPROGRAM_CLOUD_ENV) is required when Notifications:Channel is CloudFunction.");
                }

                if (string.IsNullOrWhiteSpace(o.CloudFunctionName))
                {
                    errors.Add("MiniProgram:CloudFunctionName is required when Notifications:Channel is CloudFunction.");
                }
            }

            if (o.MiniProgramState is not ("developer" or "trial" or "formal"))
            {
                errors.Add("MiniProgram:MiniProgramState must be developer, trial or formal.");
            }

            if (o.Lang is not ("zh_CN" or "en_US" or "zh_HK" or "zh_TW"))
            {
                errors.Add("MiniProgram:Lang must be zh_CN, en_US, zh_HK or zh_TW.");
            }

            if (string.IsNullOrWhiteSpace(o.AppId))
            {
                errors.Add("MiniProgram:AppId (MINIPROGRAM_APPID) is required when MiniProgram:AppSecret is set.");
            }

            if (string.IsNullOrWhiteSpace(o.AppSecret))
            {
                errors.Add("MiniProgram:AppSecret (MINIPROGRAM_APPSECRET) is required when MiniProgram:AppId is set.");
            }
        }

        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            errors.Add("MiniProgram:ApiBaseUrl (MINIPROGRAM_API_BASE_URL) must be an absolute http(s) URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
