namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>WeCom answered with a non-zero errcode: the request was refused, so nothing was created.</summary>
public sealed class WeComApiException(string api, int errCode, string errMsg)
    : Exception($"WeCom {api} answered {errCode}: {errMsg}")
{
    public const int SystemBusy = -1;
    public const int InvalidCredential = 40001;
    public const int InvalidAccessToken = 40014;
    public const int AccessTokenExpired = 42001;
    public const int FrequencyLimit = 45009;
    public const int ConcurrencyLimit = 45033;

    public string Api { get; } = api;

    public int ErrCode { get; } = errCode;

    public string ErrMsg { get; } = errMsg;

    public bool IsTransient => ErrCode is SystemBusy or ConcurrencyLimit;

    /// <summary>45009/45033: stop calling for a while.</summary>
    public bool IsRateLimited => ErrCode is FrequencyLimit or ConcurrencyLimit;

    public bool IsTokenError => ErrCode is InvalidCredential or InvalidAccessToken or AccessTokenExpired;
}
