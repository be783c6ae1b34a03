namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>oa/getapprovaldetail, reduced to what the service uses; <see cref="ControlValues"/> maps control id → text.</summary>
public sealed record ApprovalDetail(
    string SpNo,
    int SpStatus,
    string? TemplateId,
    string? CreatorUserId,
    DateTimeOffset ApplyTime,
    IReadOnlyDictionary<string, string> ControlValues,
    string RawJson);
