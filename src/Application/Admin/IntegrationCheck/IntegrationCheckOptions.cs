using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>Section "IntegrationCheck".</summary>
public sealed class IntegrationCheckOptions
{
    public const string Section = "IntegrationCheck";

    /// <summary>How long one check may take (wall clock) before it is reported failed and the next one runs.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;
}
