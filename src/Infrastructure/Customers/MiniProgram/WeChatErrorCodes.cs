using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>
/// WeChat's errcode values, and what each means for a send (docs/wechat-miniprogram.md §4, §7): protocol knowledge,
/// so the senders classify their answers here and the outbox sees only a <see cref="SendOutcome"/>.
/// </summary>
internal static class WeChatErrorCodes
{
    public const int Ok = 0;
    public const int SystemBusy = -1;
    public const int InvalidCredential = 40001;
    public const int InvalidOpenId = 40003;
    public const int InvalidAccessToken = 40014;
    public const int InvalidTemplateId = 40037;
    public const int InvalidPage = 41030;
    public const int AccessTokenExpired = 42001;
    public const int NotSubscribed = 43101;
    public const int MinuteLimit = 45011;
    public const int InvalidData = 47003;
    public const int FunctionFailed = -504002;
    public const int SystemError = -1000;
    public const int CloudCallTimeout = -604102;
    public const int FunctionCallFailed = -504001;
    public const int CloudErrorFirst = -501005; // -501001 … -501005: cloud system error, timeout, quotas, env abnormal
    public const int CloudErrorLast = -501001;
    public const int CloudTimeout = -501002;

    /// <summary>The token was refused: fetch it again once, then treat as transient.</summary>
    public static bool IsTokenError(int code) => code is InvalidCredential or InvalidAccessToken or AccessTokenExpired;

    /// <summary>The result of one message from WeChat's errcode (null: no answer came back).</summary>
    public static SendResult Result(Guid id, int? code, string? msgId, string? error) => new(id, Classify(code), code, msgId, error);

    public static SendOutcome Classify(int? code) => code switch
    {
        null => SendOutcome.Transient, // no answer: 5xx, timeout, refused connection
        Ok => SendOutcome.Sent,
        NotSubscribed => SendOutcome.NotSubscribed,
        SystemBusy or SystemError or MinuteLimit => SendOutcome.Transient,

        // The function ran, or may have, before it failed or timed out: its sends may have gone out (§7).
        FunctionFailed or CloudCallTimeout or CloudTimeout => SendOutcome.Unconfirmed,
        >= CloudErrorFirst and <= CloudErrorLast => SendOutcome.Transient, // refused before the function ran
        FunctionCallFailed => SendOutcome.Transient,
        InvalidCredential or InvalidAccessToken or AccessTokenExpired => SendOutcome.Transient,
        _ => SendOutcome.Failed, // 40003, 40037, 47003, 41030, 45009 and anything unknown: retrying cannot help
    };
}
