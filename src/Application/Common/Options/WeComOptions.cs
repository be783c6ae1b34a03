namespace CrmIntegration.Application.Common.Options;

/// <summary>
/// Section "WeCom". The seed system's environment names (WECOM_CORP_ID, …) map onto these keys.
/// Secrets (Secret, Token, EncodingAesKey) come from user-secrets or the environment, never the repo.
/// </summary>
public sealed class WeComOptions
{
    public const string Section = "WeCom";
    public const string DefaultApiBaseUrl = "https://qyapi.weixin.qq.com";

    public string? CorpId { get; set; }

    public string? AgentId { get; set; }

    /// <summary>The approval-enabled app's secret, for gettoken.</summary>
    public string? Secret { get; set; }

    /// <summary>Callback Token (up to 32 letters or digits).</summary>
    public string? Token { get; set; }

    /// <summary>Callback EncodingAESKey (43 letters or digits).</summary>
    public string? EncodingAesKey { get; set; }

    /// <summary>The public URL WeCom calls, for the "save and test" helper and the simulator.</summary>
    public string? CallbackUrl { get; set; }

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public WeComCallbackOptions Callback { get; set; } = new();

    public WeComSimulationOptions Simulation { get; set; } = new();

    /// <summary>Callbacks are on when any callback credential is set; then all must be valid.</summary>
    public bool CallbacksConfigured =>
        !string.IsNullOrEmpty(Token) || !string.IsNullOrEmpty(EncodingAesKey);

    /// <summary>Outbound API calls (submit, sync) are on when the app secret is set.</summary>
    public bool ApiConfigured => !string.IsNullOrEmpty(Secret);
}

public sealed class WeComCallbackOptions
{
    /// <summary>Callbacks whose timestamp is further than this from now are refused; 0 turns the check off.</summary>
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>Attempts at processing a stored callback before it is marked failed.</summary>
    public int MaxProcessingAttempts { get; set; } = 8;
}

public sealed class WeComSimulationOptions
{
    /// <summary>Maps the seed's simulate-approval endpoint. Unset: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}
