using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Api.Security;

/// <summary>
/// Our own key in the framework's JWT section <c>Authentication:Schemes:Bearer</c> (the framework binds the rest of it
/// into JwtBearerOptions and ignores this one).
/// </summary>
internal sealed class BearerTokenOptions
{
    public const string Section = "Authentication:Schemes:Bearer";

    /// <summary>How long after <c>exp</c> (and before <c>nbf</c>) a token is still taken; the framework's default is 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Authentication:Schemes:Bearer:ClockSkew must be from 00:00:00 to 01:00:00.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
