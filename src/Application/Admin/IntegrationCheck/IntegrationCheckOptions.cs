using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>Section "IntegrationCheck".</summary>
public sealed class IntegrationCheckOptions
{
    public const string Section = "IntegrationCheck";

    /// <summary>How long one check may take (wall clock) before it is reported failed and the next one runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "IntegrationCheck:Timeout must be from 00:00:01 to 00:02:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
