using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>Section "Notifications": how assignment notifications reach employees (the notification outbox, ADR-22). Durations are TimeSpans ("00:00:05").</summary>
public sealed class NotificationsOptions : IValidatableObject
{
    public const string Section = "Notifications";

    public NotificationChannel Channel { get; set; } = NotificationChannel.CloudFunction;

    /// <summary>Sends of one notification (transient failures included) before it is marked dead.</summary>
    [Range(1, 100, ErrorMessage = "Notifications:MaxAttempts must be from 1 to 100.")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; each further attempt doubles it (with ±20 % jitter) up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Notifications:BaseBackoff must be from 00:00:01 to 01:00:00.")]
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Notifications:MaxBackoff must be from 00:00:01 to 1.00:00:00.")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a dispatcher owns the rows it claimed; another instance takes them after that.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Notifications:Lease must be from 00:00:10 to 01:00:00.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the dispatcher looks for due rows stored by other instances or due for retry.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Notifications:PollInterval must be from 00:00:01 to 01:00:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Recipients per cloud-function invoke: the HTTP trigger has 5 s, a send takes ~100 ms+.</summary>
    [Range(1, 50, ErrorMessage = "Notifications:RecipientsPerInvoke must be from 1 to 50.")]
    public int RecipientsPerInvoke { get; set; } = 10;

    /// <summary>Timeout of one WeChat HTTP call; a timeout counts as a transient failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Notifications:RequestTimeout must be from 00:00:01 to 00:02:00.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The message's time is written in this offset from UTC (China Standard Time by default).</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How a transient failure is retried: <see cref="BaseBackoff"/> doubling up to <see cref="MaxBackoff"/>, then dead.</summary>
    public Domain.Common.RetryPolicy RetryPolicy => new(MaxAttempts, BaseBackoff, MaxBackoff);

    /// <summary>Recipients in one send: one cloud-function invoke carries several, a direct send one.</summary>
    public int RecipientsPerSend => Channel == NotificationChannel.CloudFunction ? RecipientsPerInvoke : 1;

    /// <summary>Rows one claim takes: two sends' worth.</summary>
    public int ClaimSize => Channel == NotificationChannel.CloudFunction ? RecipientsPerInvoke * 2 : 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The dispatcher starts no send in the last four request timeouts of its lease (a token refresh doubles a send).
        if (Lease <= 4 * RequestTimeout)
        {
            yield return new ValidationResult(
                "Notifications:Lease must be more than 4 × Notifications:RequestTimeout, or no send could start.",
                [nameof(Lease)]);
        }
    }
}
