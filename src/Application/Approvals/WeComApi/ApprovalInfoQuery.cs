namespace CrmIntegration.Application.Approvals.WeComApi;

public sealed record ApprovalInfoQuery(
    DateTimeOffset Start,
    DateTimeOffset End,
    string? Cursor,
    string? TemplateId,
    string? CreatorUserId,
    int Size = 100);

public sealed record ApprovalInfoPage(IReadOnlyList<string> SpNos, string? NextCursor);
