namespace CrmIntegration.Application.Common.Exceptions;

/// <summary>A partner API (WeCom, WeChat) refused the request; answered 502 with its error code. Nothing was changed.</summary>
public sealed class UpstreamRefusedException(string message, int errCode, Exception? inner = null) : Exception(message, inner)
{
    public int ErrCode { get; } = errCode;
}
