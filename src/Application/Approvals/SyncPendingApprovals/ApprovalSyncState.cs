namespace CrmIntegration.Application.Approvals.SyncPendingApprovals;

/// <summary>
/// When the sync next reads an open approval back from WeCom, and how the last read went. Scheduling state of the
/// sync, kept apart from <see cref="Domain.Approvals.ApprovalInstance"/> (the approval itself knows nothing of it);
/// one row per open submitted approval, added by SyncPendingApprovals and removed once the approval closes.
/// </summary>
public sealed class ApprovalSyncState
{
    public const int ErrorMaxLength = 1000;

    private ApprovalSyncState()
    {
    } // EF

    /// <summary>The approval's id.</summary>
    public Guid Id { get; private set; }

    public DateTimeOffset NextSyncAt { get; private set; }

    public DateTimeOffset? LastSyncedAt { get; private set; }

    /// <summary>Reads that failed in a row; each pushes the next one further out (up to the policy's cap).</summary>
    public int Failures { get; private set; }

    public string? LastError { get; private set; }

    public Guid Version { get; private set; }

    public static ApprovalSyncState For(Guid approvalId, DateTimeOffset dueAt) =>
        new() { Id = approvalId, NextSyncAt = dueAt, Version = Guid.NewGuid() };

    /// <summary>Read: next due after <paramref name="spacing"/>.</summary>
    public void RecordRead(DateTimeOffset now, TimeSpan spacing)
    {
        LastSyncedAt = now;
        NextSyncAt = now + spacing;
        Failures = 0;
        LastError = null;
        Version = Guid.NewGuid();
    }

    /// <summary>
    /// WeCom refused or failed: stamped all the same, so an approval WeCom keeps refusing goes to the back of the queue
    /// instead of taking the budget of every run; never given up while the approval is open.
    /// </summary>
    public void RecordFailure(string error, DateTimeOffset now, TimeSpan spacing, Domain.Common.RetryPolicy backoff, double jitter)
    {
        Failures++;
        LastSyncedAt = now;
        LastError = Domain.Common.Text.Cut(error, ErrorMaxLength);
        var retryAt = backoff.NextAttemptAt(Math.Min(Failures, backoff.MaxAttempts - 1), now, jitter) ?? now + backoff.MaxDelay;
        NextSyncAt = retryAt > now + spacing ? retryAt : now + spacing;
        Version = Guid.NewGuid();
    }
}
