namespace CrmIntegration.Simulator.State;

/// <summary>An 审批流程引擎 (open approval) form, keyed by our ThirdNo (docs/wecom.md §4.2, §5.4).</summary>
internal sealed class OpenApproval
{
    public required string ThirdNo { get; init; }

    public required string OpenTemplateId { get; init; }

    public required string OpenSpName { get; init; }

    public int Status { get; set; } = ApprovalStatus.Pending;

    public required long ApplyTime { get; init; }

    public required string ApplyUserId { get; init; }

    public required string ApplyUserName { get; init; }

    public string ApplyUserParty { get; init; } = "产品部";

    public required string ApproverUserId { get; init; }

    public int ApproverStatus { get; set; } = ApprovalStatus.Pending;

    public long ApproverOpTime { get; set; }

    public int ApproverStep { get; set; }

    public OpenApprovalSnapshot Snapshot() =>
        new(ThirdNo, OpenTemplateId, OpenSpName, Status, DateTimeOffset.FromUnixTimeSeconds(ApplyTime), ApplyUserId, ApproverUserId, ApproverStep);
}
