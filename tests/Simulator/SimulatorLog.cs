namespace CrmIntegration.Simulator;

/// <summary>Log lines name forms and outcomes only: never tokens, secrets, signatures or query strings.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(1, LogLevel.Information, "Callback {Event} {Key} attempt {Attempt}: HTTP {Status}")]
    public static partial void CallbackSent(ILogger logger, string @event, string key, int attempt, int status);

    [LoggerMessage(2, LogLevel.Warning, "Callback {Event} {Key} attempt {Attempt} failed: {Error}")]
    public static partial void CallbackFailed(ILogger logger, string @event, string key, int attempt, string error);

    [LoggerMessage(3, LogLevel.Information, "Approval {SpNo} submitted by {Creator} (template {TemplateId})")]
    public static partial void ApprovalSubmitted(ILogger logger, string spNo, string creator, string templateId);

    [LoggerMessage(4, LogLevel.Information, "Approval {Key} is now status {Status}")]
    public static partial void StatusChanged(ILogger logger, string key, int status);

    [LoggerMessage(5, LogLevel.Information, "Fault armed on {Path} for {Count} call(s)")]
    public static partial void FaultArmed(ILogger logger, string path, int count);

    [LoggerMessage(6, LogLevel.Information, "WeCom + WeChat simulator listening on {Urls}; callbacks go to {CallbackUrl}")]
    public static partial void Started(ILogger logger, string urls, Uri callbackUrl);
}
