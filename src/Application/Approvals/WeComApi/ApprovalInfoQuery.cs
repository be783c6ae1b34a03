namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>
/// One page of oa/getapprovalinfo: forms submitted in [<paramref name="Start"/>, <paramref name="End"/>] (at most
/// 31 days), narrowed by template, creator and WeCom status (<paramref name="SpStatus"/>, e.g. 1 = pending).
/// </summary>
public sealed record ApprovalInfoQuery(
    DateTimeOffset Start,
    DateTimeOffset End,
    string? Cursor,
    string? TemplateId,
    string? CreatorUserId,
    int Size = 100,
    int? SpStatus = null);

public sealed record ApprovalInfoPage(IReadOnlyList<string> SpNos, string? NextCursor);
