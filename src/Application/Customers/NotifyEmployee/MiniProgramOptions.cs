namespace CrmIntegration.Application.Customers.NotifyEmployee;

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

    /// <summary>Which version of the mini-program the message opens: developer, trial or formal.</summary>
    public string MiniProgramState { get; set; } = "formal";

    /// <summary>zh_CN, en_US, zh_HK or zh_TW.</summary>
    public string Lang { get; set; } = "zh_CN";

    public bool Configured => !string.IsNullOrEmpty(AppId) || !string.IsNullOrEmpty(AppSecret);
}
