namespace CrmIntegration.Simulator.State;

internal sealed class ApproverDetail
{
    public required string UserId { get; init; }

    public int Status { get; set; } = ApprovalStatus.Pending;

    public string Speech { get; set; } = "";

    /// <summary>Unix seconds; 0 while pending.</summary>
    public long SpTime { get; set; }
}
