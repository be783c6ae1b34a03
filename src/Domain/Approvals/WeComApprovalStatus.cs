namespace CrmIntegration.Domain.Approvals;

/// <summary>WeCom's SpStatus / OpenSpStatus codes and what they mean for a quote.</summary>
public static class WeComApprovalStatus
{
    public const int Pending = 1;
    public const int Approved = 2;
    public const int Rejected = 3;
    public const int Cancelled = 4;
    public const int RevokedAfterApproval = 6;
    public const int Deleted = 7;
    public const int Paid = 10;

    /// <summary>The mapped status, or null for a code WeCom may add later (recorded, never applied).</summary>
    public static ApprovalStatus? Map(int code) => code switch
    {
        Pending => ApprovalStatus.Pending,
        Approved or Paid => ApprovalStatus.Approved,
        Rejected => ApprovalStatus.Rejected,
        Cancelled or RevokedAfterApproval or Deleted => ApprovalStatus.Cancelled,
        _ => null,
    };

    /// <summary>The code that stands for <paramref name="status"/> (simulation and sync use these).</summary>
    public static int CodeOf(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => Pending,
        ApprovalStatus.Approved => Approved,
        ApprovalStatus.Rejected => Rejected,
        ApprovalStatus.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
