namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>
/// Section "WeCom". The seed system's environment names (WECOM_CORP_ID, …) map onto these keys.
/// Secrets (Secret, Token, EncodingAesKey) come from user-secrets or the environment, never the repo.
/// Durations are TimeSpans ("00:00:30"). Checked by <see cref="WeComOptionsValidator"/>.
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

    /// <summary>Wall-clock limit on one API call, retries included (a backstop behind the 10 s attempt timeout).</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public WeComCallbackOptions Callback { get; set; } = new();

    public WeComSimulationOptions Simulation { get; set; } = new();

    public WeComApprovalOptions Approval { get; set; } = new();

    public WeComSyncOptions Sync { get; set; } = new();

    public WeComCallBudgetOptions CallBudget { get; set; } = new();

    /// <summary>Callbacks are on when any callback credential is set; then all must be valid.</summary>
    public bool CallbacksConfigured =>
        !string.IsNullOrEmpty(Token) || !string.IsNullOrEmpty(EncodingAesKey);

    /// <summary>Outbound API calls (submit, sync) are on when the app secret is set.</summary>
    public bool ApiConfigured => !string.IsNullOrEmpty(Secret);

    /// <summary>Quotes can be submitted when the API is on and a template is set.</summary>
    public bool SubmissionConfigured => ApiConfigured && !string.IsNullOrEmpty(Approval.TemplateId);
}
