namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>
/// What WeChat said about one notification: <see cref="ErrorCode"/> 0 with a msgid when sent; null when no
/// answer came back (HTTP 5xx, timeout, connection refused): that is transient.
/// </summary>
public sealed record SendResult(Guid Id, int? ErrorCode, string? MsgId, string? Error)
{
    public static SendResult Transport(Guid id, string error) => new(id, null, null, error);

    public SendOutcome Outcome => WeChatErrorCodes.Classify(ErrorCode);
}
