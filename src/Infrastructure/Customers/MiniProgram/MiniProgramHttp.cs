namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

internal static class MiniProgramHttp
{
    /// <summary>The named HttpClient for api.weixin.qq.com (MiniProgram:ApiBaseUrl); tests swap its primary handler.</summary>
    public const string ClientName = "MiniProgram";
}
