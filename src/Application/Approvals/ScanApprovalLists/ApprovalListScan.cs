namespace CrmIntegration.Application.Approvals.ScanApprovalLists;

/// <summary>
/// When the approval lists are next paged (ADR-27): one row for all instances, claimed through the work queue, so one
/// instance pages them once per sync interval however many instances run the sync.
/// </summary>
public sealed class ApprovalListScan
{
    public const int ErrorMaxLength = 1000;

    /// <summary>The id of the one row.</summary>
    public static readonly Guid TheScan = new("0b5e77ed-5ca1-4e57-a110-a55ca1157000");

    private ApprovalListScan()
    {
    } // EF

    public Guid Id { get; private set; }

    public DateTimeOffset NextScanAt { get; private set; }

    public DateTimeOffset? LastScannedAt { get; private set; }

    /// <summary>Scans that failed in a row (WeCom refused or did not answer); the sync reads each approval meanwhile.</summary>
    public int Failures { get; private set; }

    public string? LastError { get; private set; }

    public Guid Version { get; private set; }

    public static ApprovalListScan Create(DateTimeOffset dueAt) => new() { Id = TheScan, NextScanAt = dueAt, Version = Guid.NewGuid() };

    /// <summary>A complete scan: the next is due at <paramref name="next"/>.</summary>
    public void RecordScan(DateTimeOffset now, DateTimeOffset next)
    {
        LastScannedAt = now;
        NextScanAt = next;
        Failures = 0;
        LastError = null;
        Version = Guid.NewGuid();
    }

    /// <summary>Cut short (the minute's budget ran out) or failed: due again at <paramref name="next"/>.</summary>
    public void RecordIncomplete(string error, DateTimeOffset next)
    {
        Failures++;
        LastError = Domain.Common.Text.Cut(error, ErrorMaxLength);
        NextScanAt = next;
        Version = Guid.NewGuid();
    }
}
