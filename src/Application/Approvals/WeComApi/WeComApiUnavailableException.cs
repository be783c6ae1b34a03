namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>No answer from WeCom (timeout, connection lost, HTTP 5xx): whether a POST took effect is unknown.</summary>
public sealed class WeComApiUnavailableException(string api, Exception inner)
    : Exception($"WeCom {api} did not answer: {inner.GetType().Name}", inner)
{
    public string Api { get; } = api;
}
