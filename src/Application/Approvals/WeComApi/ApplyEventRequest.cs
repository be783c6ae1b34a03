namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>What the service puts into oa/applyevent (docs/wecom.md §5.1).</summary>
public sealed record ApplyEventRequest(
    string CreatorUserId,
    string TemplateId,
    bool UseTemplateApprover,
    IReadOnlyList<string> ApproverUserIds,
    IReadOnlyList<string> NotifyUserIds,
    IReadOnlyList<ApplyControl> Controls,
    IReadOnlyList<string> SummaryLines);

/// <summary>One apply_data content: <paramref name="Control"/> is WeCom's control type ("Text", "Money", …).</summary>
public sealed record ApplyControl(string Control, string Id, string Value);
