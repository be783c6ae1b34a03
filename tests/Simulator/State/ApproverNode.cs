namespace CrmIntegration.Simulator.State;

/// <summary>One sp_record: <see cref="Attr"/> 1 或签, 2 会签.</summary>
internal sealed class ApproverNode
{
    public required int Attr { get; init; }

    public int Status { get; set; } = ApprovalStatus.Pending;

    public required List<ApproverDetail> Details { get; init; }
}
