namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>How one check came out (JSON: ok, warning, failed, skipped).</summary>
public enum IntegrationCheckStatus
{
    Ok,

    /// <summary>Works, but something needs attention (e.g. no callback has arrived yet).</summary>
    Warning,

    Failed,

    /// <summary>Not configured, or a check it needs did not pass.</summary>
    Skipped,
}
