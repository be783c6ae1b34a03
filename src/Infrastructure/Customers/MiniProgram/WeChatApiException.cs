namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>WeChat answered with a non-zero errcode (the message carries errmsg with its rid, never a token).</summary>
internal sealed class WeChatApiException(int errorCode, string message) : Exception(message)
{
    public int ErrorCode { get; } = errorCode;
}
