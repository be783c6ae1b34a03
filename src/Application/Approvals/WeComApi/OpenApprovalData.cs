namespace CrmIntegration.Application.Approvals.WeComApi;

/// <summary>corp/getopenapprovaldata, reduced: <see cref="Status"/> is OpenSpstatus.</summary>
public sealed record OpenApprovalData(string ThirdNo, int Status, string? TemplateId, string RawJson);
