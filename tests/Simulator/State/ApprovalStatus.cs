namespace CrmIntegration.Simulator.State;

/// <summary>SpStatus / sp_status values (docs/wecom.md §4.3) and the StatuChangeEvent actions (§4.1) the simulator emits.</summary>
public static class ApprovalStatus
{
    public const int Pending = 1;
    public const int Approved = 2;
    public const int Rejected = 3;
    public const int Cancelled = 4;
    public const int RevokedAfterApproval = 6;
    public const int Deleted = 7;

    public const int EventSubmitted = 1;
    public const int EventApproved = 2;
    public const int EventRejected = 3;
    public const int EventCancelled = 6;
    public const int EventRevokedAfterApproval = 8;
}
