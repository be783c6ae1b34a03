using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>Section "Notifications": how assignment notifications reach employees (ADR-2 outbox).</summary>
public sealed class NotificationsOptions : IValidatableObject
{
    public const string Section = "Notifications";

    public NotificationChannel Channel { get; set; } = NotificationChannel.CloudFunction;

    /// <summary>Sends of one notification (transient failures included) before it is marked dead.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; each further attempt doubles it (with ±20 % jitter) up to <see cref="MaxBackoffSeconds"/>.</summary>
    [Range(1, 3600)]
    public int BaseBackoffSeconds { get; set; } = 2;

    [Range(1, 86400)]
    public int MaxBackoffSeconds { get; set; } = 300;

    /// <summary>How long a dispatcher owns the rows it claimed; another instance takes them after that.</summary>
    [Range(10, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often the dispatcher looks for due rows stored by other instances or due for retry.</summary>
    [Range(1, 3600)]
    public int PollIntervalSeconds { get; set; } = 5;

    /// <summary>Recipients per cloud-function invoke: the HTTP trigger has 5 s, a send takes ~100 ms+.</summary>
    [Range(1, 50)]
    public int RecipientsPerInvoke { get; set; } = 10;

    /// <summary>Timeout of one WeChat HTTP call; a timeout counts as a transient failure.</summary>
    [Range(1, 120)]
    public int RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>The message's time is written in this offset from UTC (China Standard Time by default).</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.FromHours(8);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The dispatcher starts no send in the last four request timeouts of its lease (a token refresh doubles a send).
        if (LeaseSeconds <= 4 * RequestTimeoutSeconds)
        {
            yield return new ValidationResult(
                "Notifications:LeaseSeconds must be more than 4 × Notifications:RequestTimeoutSeconds, or no send could start.",
                [nameof(LeaseSeconds)]);
        }
    }
}
