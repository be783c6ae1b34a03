namespace CrmIntegration.Application.Common.Options;

/// <summary>Section "MiniProgram": employee notifications through a WeChat mini-program.</summary>
public sealed class MiniProgramOptions
{
    public const string Section = "MiniProgram";
    public const string DefaultApiBaseUrl = "https://api.weixin.qq.com";

    public string? AppId { get; set; }

    public string? AppSecret { get; set; }

    /// <summary>Cloud development environment id (MINIPROGRAM_CLOUD_ENV).</summary>
    public string? CloudEnv { get; set; }

    public string CloudFunctionName { get; set; } = "quickstartFunctions";

    public string? TemplateId { get; set; }

    public string Page { get; set; } = "pages/customers/list";

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public bool Configured => !string.IsNullOrEmpty(AppId) || !string.IsNullOrEmpty(AppSecret);
}
