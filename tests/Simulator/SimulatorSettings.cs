namespace CrmIntegration.Simulator;

/// <summary>
/// Section "Simulator" (environment: <c>Simulator__CorpId</c>, …). The defaults are official WeCom test vector A
/// (docs/wecom.md §8), so a local demo works without any configuration.
/// </summary>
public sealed class SimulatorSettings
{
    public const string Section = "Simulator";
    public const string DefaultUrl = "http://localhost:5090";

    public string CorpId { get; set; } = "ww1436e0e65a779aee";

    /// <summary>The approval app's secret that gettoken accepts.</summary>
    public string CorpSecret { get; set; } = "simulator-corp-secret";

    /// <summary>AgentID written into callback envelopes and messages (3010040 is the 审批 app).</summary>
    public string AgentId { get; set; } = "3010040";

    /// <summary>Callback Token (1-32 letters or digits).</summary>
    public string Token { get; set; } = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";

    /// <summary>Callback EncodingAESKey (43 letters or digits).</summary>
    public string EncodingAesKey { get; set; } = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

    /// <summary>Where approval callbacks are POSTed (the service's <c>/wecom/callback</c>).</summary>
    public string CallbackUrl { get; set; } = "http://localhost:5080/wecom/callback";

    /// <summary>Template ids applyevent accepts; empty (the default) accepts any non-empty id.</summary>
    public List<string> TemplateIds { get; set; } = [];

    /// <summary>Users in the app's visible range (creator_userid); empty accepts anyone.</summary>
    public List<string> UserIds { get; set; } = [];

    /// <summary>Control ids every applyevent form must contain (301025 "has no require control …").</summary>
    public List<string> RequiredControlIds { get; set; } = [];

    /// <summary>
    /// The controls oa/gettemplatedetail lists for every template it accepts. Empty (the default): the quote template
    /// the README's demo configures, <c>Text-quote-no</c> (Text) and <c>Money-amount</c> (Money), plus each of
    /// <see cref="RequiredControlIds"/> as a required Text control.
    /// </summary>
    public List<TemplateControlSettings> TemplateControls { get; set; } = [];

    internal IReadOnlyList<TemplateControlSettings> EffectiveTemplateControls
    {
        get
        {
            if (TemplateControls.Count > 0)
            {
                return TemplateControls;
            }

            var controls = new List<TemplateControlSettings>
            {
                new() { Id = "Text-quote-no", Control = "Text", Title = "报价单号", Require = true },
                new() { Id = "Money-amount", Control = "Money", Title = "金额" },
            };
            controls.AddRange(RequiredControlIds.Where(id => controls.All(c => c.Id != id))
                .Select(id => new TemplateControlSettings { Id = id, Control = "Text", Title = id, Require = true }));
            return controls;
        }
    }

    /// <summary>Approvers used when the request says use_template_approver = 1; empty means LiuXiaoGang.</summary>
    /// <remarks>Lists default to empty: the configuration binder appends to a list instead of replacing it.</remarks>
    public List<string> TemplateApprovers { get; set; } = [];

    internal IReadOnlyList<string> EffectiveTemplateApprovers => TemplateApprovers.Count > 0 ? TemplateApprovers : ["LiuXiaoGang"];

    /// <summary>The form name shown as sp_name / SpName.</summary>
    public string SpName { get; set; } = "报价审批";

    public int TokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>How long WeCom waits for a callback answer before it retries (5 s in production).</summary>
    public int CallbackTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>Extra deliveries after a callback got no HTTP 200 (WeCom: up to 3).</summary>
    public int CallbackRetries { get; set; } = 3;

    public int CallbackRetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>Upper bound of an injected "hang": the request also ends when the client gives up.</summary>
    public int HangMilliseconds { get; set; } = 120_000;

    public MiniProgramSimulatorSettings MiniProgram { get; set; } = new();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(CorpId) || string.IsNullOrWhiteSpace(CorpSecret))
        {
            throw new InvalidOperationException("Simulator:CorpId and Simulator:CorpSecret are required.");
        }

        if (!Uri.TryCreate(CallbackUrl, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException("Simulator:CallbackUrl must be an absolute URL.");
        }

        if (string.IsNullOrWhiteSpace(MiniProgram.AppId) || string.IsNullOrWhiteSpace(MiniProgram.AppSecret))
        {
            throw new InvalidOperationException("Simulator:MiniProgram:AppId and AppSecret are required.");
        }
    }
}
