using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Common.Options;

internal sealed class MiniProgramOptionsValidator : IValidateOptions<MiniProgramOptions>
{
    public ValidateOptionsResult Validate(string? name, MiniProgramOptions o)
    {
        var errors = new List<string>();
        if (o.Configured)
        {
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
