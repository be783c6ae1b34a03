using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Application.Approvals.SyncPendingApprovals;

/// <summary>
/// The sync's queue: one <see cref="ApprovalSyncState"/> per open submitted approval. Refreshed at the start of every
/// run: approvals that closed leave it, new ones join it due at once (oldest submission first).
/// </summary>
internal sealed class ApprovalSyncSchedule(IAppDbContext db, IDatabaseErrors errors, ILogger<ApprovalSyncSchedule> logger)
{
    public async Task RefreshAsync(CancellationToken ct)
    {
        await db.ApprovalSync
            .Where(s => !db.ApprovalInstances.Any(a => a.Id == s.Id && a.IsOpen && a.SubmissionState == SubmissionState.Submitted))
            .ExecuteDeleteAsync(ct);
        var joining = await db.ApprovalInstances.AsNoTracking()
            .Where(a => a.IsOpen && a.SubmissionState == SubmissionState.Submitted && !db.ApprovalSync.Any(s => s.Id == a.Id))
            .Select(a => new { a.Id, a.SubmittedAt })
            .ToListAsync(ct);
        if (joining.Count == 0)
        {
            return;
        }

        db.ApprovalSync.AddRange(joining.Select(a => ApprovalSyncState.For(a.Id, a.SubmittedAt)));
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
}
