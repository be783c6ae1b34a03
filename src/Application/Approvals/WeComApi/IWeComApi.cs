namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>
/// WeCom's approval REST API (docs/wecom.md §5). Errors WeCom answers throw <see cref="WeComApiException"/>;
/// a call whose outcome is unknown (timeout, connection lost) throws <see cref="WeComApiUnavailableException"/>.
/// </summary>
public interface IWeComApi
{
    /// <summary>oa/applyevent: never retried here (no idempotency key); returns the new sp_no.</summary>
    Task<string> ApplyEventAsync(ApplyEventRequest request, CancellationToken ct);

    Task<ApprovalDetail> GetApprovalDetailAsync(string spNo, CancellationToken ct);

    /// <summary>One page of oa/getapprovalinfo: sp_nos submitted in [start, end) (≤ 31 days), and the next cursor or null.</summary>
    Task<ApprovalInfoPage> GetApprovalInfoAsync(ApprovalInfoQuery query, CancellationToken ct);

    Task<OpenApprovalData> GetOpenApprovalDataAsync(string thirdNo, CancellationToken ct);
}
