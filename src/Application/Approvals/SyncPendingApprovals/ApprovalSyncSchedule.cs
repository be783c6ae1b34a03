using CrmIntegration.Application.Approvals.ScanApprovalLists;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.SyncPendingApprovals;

/// <summary>
/// The sync's queue: one <see cref="ApprovalSyncState"/> per open submitted approval. Refreshed at the start of every
/// run: approvals that closed leave it, new ones join it. A system approval within the list window is confirmed or
/// made due by the list scan (ADR-27), so on its own it falls due only if no scan reached it for two intervals; the
/// others (open-engine approvals, and those older than the window) are due at once and then read one by one.
/// </summary>
internal sealed class ApprovalSyncSchedule(IAppDbContext db, IDatabaseErrors errors, IOptions<WeComOptions> options, TimeProvider clock,
    ILogger<ApprovalSyncSchedule> logger)
{
    // SQL Server takes at most 2,100 parameters per statement.
    private const int Chunk = 500;

    private WeComSyncOptions Sync => options.Value.Sync;

    /// <summary>How long a listed approval waits for a read of its own: past the next scan, so only a failing scan lets it fall due.</summary>
    private TimeSpan ListedSpacing => Sync.Interval * 2;

    public async Task RefreshAsync(CancellationToken ct)
    {
        await db.ApprovalSync
            .Where(s => !db.ApprovalInstances.Any(a => a.Id == s.Id && a.IsOpen && a.SubmissionState == SubmissionState.Submitted))
            .ExecuteDeleteAsync(ct);
        var joining = await db.ApprovalInstances.AsNoTracking()
            .Where(a => a.IsOpen && a.SubmissionState == SubmissionState.Submitted && !db.ApprovalSync.Any(s => s.Id == a.Id))
            .Select(a => new { a.Id, a.SubmittedAt, a.Kind, a.SpNo, a.TemplateId })
            .ToListAsync(ct);
        if (joining.Count == 0)
        {
            return;
        }

        var listedFrom = ListedSince(clock.GetUtcNow());
        db.ApprovalSync.AddRange(joining.Select(a => ApprovalSyncState.For(a.Id,
            ApprovalListPager.IsListable(a.Kind, a.SpNo, a.TemplateId) && a.SubmittedAt >= listedFrom
                ? a.SubmittedAt + ListedSpacing
                : a.SubmittedAt)));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (errors.IsUniqueViolation(e))
        {
            // Another instance's run scheduled them at the same moment: theirs stand.
            logger.LogDebug("Approvals were scheduled for sync by another instance meanwhile");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Records a read (or failed read) of a claimed approval; a lease lost meanwhile leaves the row to its new holder.</summary>
    public async Task SaveAsync(ApprovalSyncState state, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("The sync lease on approval {ApprovalId} ran out before its read was recorded", state.Id);
            db.ChangeTracker.Entries<ApprovalSyncState>().Where(e => e.Entity == state).ToList().ForEach(e => e.State = EntityState.Detached);
        }
    }

    /// <summary>Listed as pending by the scan: read, unchanged, and not due again unless scans stop reaching it.</summary>
    public async Task ConfirmPendingAsync(IReadOnlyList<Guid> approvalIds, DateTimeOffset now, CancellationToken ct)
    {
        var next = now + ListedSpacing;
        foreach (var chunk in approvalIds.Chunk(Chunk))
        {
            await db.ApprovalSync.Where(s => chunk.Contains(s.Id)).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.NextSyncAt, next).SetProperty(s => s.LastSyncedAt, now)
                .SetProperty(s => s.Failures, 0).SetProperty(s => s.LastError, (string?)null), ct);
        }
    }

    /// <summary>
    /// No longer listed as pending by the scan: due now for a read of its own, unless its reads are failing (then its
    /// backoff stands, so an approval WeCom keeps refusing does not take the budget of every run).
    /// </summary>
    public async Task MakeDueAsync(IReadOnlyList<Guid> approvalIds, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var chunk in approvalIds.Chunk(Chunk))
        {
            await db.ApprovalSync.Where(s => chunk.Contains(s.Id) && s.NextSyncAt > now && s.Failures == 0).ExecuteUpdateAsync(u => u.SetProperty(s => s.NextSyncAt, now), ct);
        }
    }

    /// <summary>When each read approval is due for its next read of its own (ADR-27).</summary>
    public async Task<Dictionary<Guid, TimeSpan>> SpacingsAsync(IReadOnlyList<ApprovalSyncState> read, DateTimeOffset now, CancellationToken ct)
    {
        var ids = read.Select(s => s.Id).ToList();
        var listedFrom = ListedSince(now);
        var approvals = await db.ApprovalInstances.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Kind, a.SpNo, a.TemplateId, a.SubmittedAt }).ToListAsync(ct);
        return approvals.ToDictionary(a => a.Id, a =>
            a.Kind == ApprovalKind.Open ? Sync.Interval / 2 // another instance's run just read it
            : ApprovalListPager.IsListable(a.Kind, a.SpNo, a.TemplateId) && a.SubmittedAt >= listedFrom ? ListedSpacing
            : Sync.OldApprovalInterval);
    }

    private DateTimeOffset ListedSince(DateTimeOffset now) => ApprovalListPager.ListedSince(now, Sync.ListWindow);
}
