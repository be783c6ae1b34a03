using CrmIntegration.Domain.Customers;
namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>
/// What WeChat said about one notification: <see cref="ErrorCode"/> 0 with a msgid when sent; null when no
/// answer came back (HTTP 5xx, timeout, connection refused): that is transient. <see cref="OutcomeUnknown"/> marks a
/// call that succeeded (the function ran) without saying what became of this message.
/// </summary>
public sealed record SendResult(Guid Id, int? ErrorCode, string? MsgId, string? Error, bool OutcomeUnknown = false)
{
    public static SendResult Transport(Guid id, string error) => new(id, null, null, error);

    /// <summary>The function ran, but its answer has no readable result for this message: it may have been sent.</summary>
    public static SendResult Unconfirmed(Guid id, string error) => new(id, null, null, error, OutcomeUnknown: true);

    public SendOutcome Outcome => OutcomeUnknown ? SendOutcome.Unconfirmed : WeChatErrorCodes.Classify(ErrorCode);
}
