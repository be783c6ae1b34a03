using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Infrastructure.Approvals.Live;

/// <summary>The <c>LiveUpdates</c> section: the quote event stream.</summary>
public sealed class LiveUpdatesOptions
{
    public const string Section = "LiveUpdates";

    /// <summary>How long a stream ticket opens the stream (a browser's EventSource reconnects with the same URL).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromMinutes(1);
}
