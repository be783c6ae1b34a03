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

    /// <summary>Wall-clock limit on one API call, retries included (a backstop behind the 10 s attempt timeout).</summary>
    public int HttpTimeoutSeconds { get; set; } = 30;

    public WeComCallbackOptions Callback { get; set; } = new();

    public WeComSimulationOptions Simulation { get; set; } = new();

    public WeComApprovalOptions Approval { get; set; } = new();

    public WeComSyncOptions Sync { get; set; } = new();

    /// <summary>Callbacks are on when any callback credential is set; then all must be valid.</summary>
    public bool CallbacksConfigured =>
        !string.IsNullOrEmpty(Token) || !string.IsNullOrEmpty(EncodingAesKey);

    /// <summary>Outbound API calls (submit, sync) are on when the app secret is set.</summary>
    public bool ApiConfigured => !string.IsNullOrEmpty(Secret);

    /// <summary>Quotes can be submitted when the API is on and a template is set.</summary>
    public bool SubmissionConfigured => ApiConfigured && !string.IsNullOrEmpty(Approval.TemplateId);
}

public sealed class WeComApprovalOptions
{
    /// <summary>The quote approval template (oa/applyevent template_id).</summary>
    public string? TemplateId { get; set; }

    /// <summary>1: the template's own approval flow; 0: approvers from the request.</summary>
    public bool UseTemplateApprover { get; set; } = true;

    public WeComApprovalControls Controls { get; set; } = new();
}

/// <summary>Template control ids the quote fills; QuoteNumber is how reconciliation finds our forms.</summary>
public sealed class WeComApprovalControls
{
    public string? QuoteNumber { get; set; }

    public string? Title { get; set; }

    public string? Customer { get; set; }

    /// <summary>A Money control.</summary>
    public string? Amount { get; set; }
}

public sealed class WeComSyncOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Calls one sync run may make (WeCom allows 600/min for the approval read APIs).</summary>
    public int MaxCallsPerMinute { get; set; } = 500;

    /// <summary>How far back the reconciliation sweep looks for forms (at most 31 days).</summary>
    public TimeSpan ReconcileWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A submission whose outcome was unknown, and that reconciliation cannot find after this, is abandoned.</summary>
    public TimeSpan SubmissionGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one instance holds an approval while it syncs it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class WeComCallbackOptions
{
    /// <summary>Callbacks whose timestamp is further than this from now are refused; 0 turns the check off.</summary>
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>Attempts at processing a stored callback before it is marked failed.</summary>
    public int MaxProcessingAttempts { get; set; } = 8;

    /// <summary>
    /// An event whose own time (CreateTime) lies more than this after its receipt is ordered by its receipt instead,
    /// and the timeline keeps its own time as reported_occurred_at: one wrong clock must not make later events stale.
    /// </summary>
    public TimeSpan FutureEventTolerance { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class WeComSimulationOptions
{
    /// <summary>Maps the seed's simulate-approval endpoint. Unset: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}
