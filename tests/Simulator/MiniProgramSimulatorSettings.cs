namespace CrmIntegration.Simulator;

/// <summary>Section "Simulator:MiniProgram": the api.weixin.qq.com side.</summary>
public sealed class MiniProgramSimulatorSettings
{
    public string AppId { get; set; } = "wx0123456789abcdef";

    public string AppSecret { get; set; } = "simulator-app-secret";

    /// <summary>Cloud environment invokecloudfunction accepts; empty accepts any (else -501000).</summary>
    public string CloudEnv { get; set; } = "";

    /// <summary>Template ids subscribe/send accepts; empty accepts any non-empty id (else 40037).</summary>
    public List<string> TemplateIds { get; set; } = [];

    public int TokenLifetimeSeconds { get; set; } = 7200;

    /// <summary>
    /// The version the played cloud function reports for <c>{"action":"ping"}</c>; empty plays a deployment older
    /// than ping, which refuses the action ({ok: false, error, results: []}) as such a function does.
    /// </summary>
    public string CloudFunctionVersion { get; set; } = "1.1.0";
}
