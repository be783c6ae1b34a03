using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Work;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.ScanApprovalLists;

/// <summary>
/// The sync's list scan (ADR-27), at most once per interval for all instances: pages WeCom's pending lists to learn
/// which open approvals changed (<see cref="PendingListScan"/>) and its revoked/deleted lists to repair lost revokes
/// (<see cref="RevokeListScan"/>), so a pass costs about ⌈open / 100⌉ list calls plus one detail read per change
/// instead of one read per open approval. Every page is paid from the budget all instances share; a scan the budget
/// cut short is due again at once; after WeCom's rate limit (45009/45033) the sync run stops.
/// </summary>
public sealed record ScanApprovalListsCommand : IRequest<ListScanReport>;

internal sealed class ScanApprovalListsCommandHandler(
    IAppDbContext db,
    IWorkQueue<ApprovalListScan> queue,
    IDatabaseErrors errors,
    PendingListScan pending,
    RevokeListScan revoked,
    WeComCallBudget budget,
    IOptions<WeComOptions> options,
    TimeProvider clock,
    ILogger<ScanApprovalListsCommandHandler> logger) : IRequestHandler<ScanApprovalListsCommand, ListScanReport>
{
    public async Task<ListScanReport> Handle(ScanApprovalListsCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await EnsureScheduledAsync(now, cancellationToken);
        var batch = await queue.ClaimAsync(s => s.NextScanAt <= now, s => s.NextScanAt, 1, options.Value.Sync.Lease, cancellationToken);
        if (batch.IsEmpty)
        {
            return ListScanReport.NotDue; // another instance scanned within this interval
        }

        var scan = batch.Items[0];
        var calls = new PaidCalls(budget);
        try
        {
            var found = await pending.RunAsync(now, calls, cancellationToken);
            var (revokes, revokesComplete) = found.Complete ? await revoked.RunAsync(now, calls, cancellationToken) : (0, false);
            var complete = found.Complete && revokesComplete;
            if (complete)
            {
                // Three quarters of an interval: the next run, on this instance or another, scans again.
                scan.RecordScan(now, now + options.Value.Sync.Interval * 0.75);
            }
            else
            {
                scan.RecordIncomplete("The minute's WeCom call budget ran out before every list was read.", now);
            }

            await SaveAsync(scan, cancellationToken);
            return new ListScanReport(true, found.Listed, found.Changed, revokes, calls.Made, !complete, false, found.PendingOfOurTemplate);
        }
        catch (Exception e) when (e is WeComApiException or WeComApiUnavailableException)
        {
            db.ChangeTracker.Clear();
            var rateLimited = e is WeComApiException { IsRateLimited: true };
            scan = await queue.FindLeasedAsync(scan.Id, batch.Owner, CancellationToken.None);
            scan?.RecordIncomplete(e.Message, rateLimited ? now + options.Value.Sync.Interval / 2 : now);
            await SaveAsync(scan, CancellationToken.None);
            logger.LogWarning(rateLimited
                ? "WeCom rate limit during the approval list scan ({Reason}); stopping this run"
                : "The approval list scan failed ({Reason}); the open approvals are read one by one until it works", e.Message);
            return ListScanReport.NotDue with { Scanned = true, Failed = !rateLimited, RateLimited = rateLimited, Calls = calls.Made };
        }
    }

    private async Task EnsureScheduledAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (await db.ApprovalListScans.AnyAsync(ct))
        {
            return;
        }

        db.ApprovalListScans.Add(ApprovalListScan.Create(now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (errors.IsUniqueViolation(e))
        {
            logger.LogDebug("The approval list scan was scheduled by another instance meanwhile");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private async Task SaveAsync(ApprovalListScan? scan, CancellationToken ct)
    {
        if (scan is null)
        {
            return; // the lease ran out and another instance holds the scan now
        }

        queue.Complete(scan);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("The approval list scan's lease ran out before it was recorded");
        }
    }
}
