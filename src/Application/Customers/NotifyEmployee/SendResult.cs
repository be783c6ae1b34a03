using CrmIntegration.Domain.Customers;

namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>
/// What became of one notification, as the channel's adapter classified WeChat's answer (<see cref="Outcome"/>),
/// with WeChat's own code and message for the record: <see cref="ErrorCode"/> 0 with a msgid when sent; null when no
/// answer came back (HTTP 5xx, timeout, connection refused).
/// </summary>
public sealed record SendResult(Guid Id, SendOutcome Outcome, int? ErrorCode, string? MsgId, string? Error)
{
    /// <summary>No answer (5xx, timeout, refused connection): worth another try later.</summary>
    public static SendResult Transport(Guid id, string error) => new(id, SendOutcome.Transient, null, null, error);

    /// <summary>The function ran, but its answer has no readable result for this message: it may have been sent.</summary>
    public static SendResult Unconfirmed(Guid id, string error) => new(id, SendOutcome.Unconfirmed, null, null, error);
}
