using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Api.Http;

/// <summary>Section "RateLimiting" (ADR-16): a fixed one-minute window per caller on /api.</summary>
internal sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests one caller may make to /api per minute and instance; the window is always one minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimiting:PermitsPerMinute must be from 1 to 1000000.")]
    public int PermitsPerMinute { get; set; } = 600;
}
