using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.ScanApprovalLists;

/// <summary>
/// Which of our open system approvals WeCom still lists as pending (sp_status 1), per template: those listed are
/// unchanged and need no call of their own until the next scan; those not listed changed, and are made due for one
/// detail read each (SyncApproval). Approvals older than the list window are left to their own slower reads.
/// </summary>
internal sealed class PendingListScan(IAppDbContext db, ApprovalListPager pager, ApprovalSyncSchedule schedule, IOptions<WeComOptions> options)
{
    public async Task<PendingScanResult> RunAsync(DateTimeOffset now, PaidCalls calls, CancellationToken ct)
    {
        var sync = options.Value.Sync;
        var end = now + ApprovalListPager.Margin;
        var earliest = end - sync.ListWindow; // the list's span is at most the window
        var listedSince = ApprovalListPager.ListedSince(now, sync.ListWindow);
        var covered = await db.ApprovalInstances.AsNoTracking() // ApprovalListPager.IsListable, as a query
            .Where(a => a.IsOpen && a.SubmissionState == SubmissionState.Submitted && a.Kind == ApprovalKind.System
                        && a.SpNo != null && a.TemplateId != null && a.SubmittedAt >= listedSince)
            .Select(a => new Covered(a.Id, a.SpNo!, a.TemplateId!, a.SubmittedAt))
            .ToListAsync(ct);

        var lists = covered.GroupBy(a => a.TemplateId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // Our own template is always paged: its pending forms we do not know are what reconciliation adopts.
        var ours = options.Value.SubmissionConfigured ? options.Value.Approval.TemplateId! : null;
        if (ours is not null)
        {
            lists.TryAdd(ours, []);
        }

        var listed = new List<Guid>();
        var changed = new List<Guid>();
        IReadOnlySet<string> pendingOfOurs = new HashSet<string>();
        foreach (var (templateId, approvals) in lists)
        {
            var from = approvals.Count == 0 ? end : approvals.Min(a => a.SubmittedAt) - ApprovalListPager.Margin;
            if (templateId == ours)
            {
                from = Min(from, now - sync.ReconcileWindow);
            }

            var (spNos, complete) = await pager.ListAsync(templateId, WeComApprovalStatus.Pending, Max(from, earliest), end, approvals.Count, calls, ct);
            listed.AddRange(approvals.Where(a => spNos.Contains(a.SpNo)).Select(a => a.Id));
            if (!complete)
            {
                await schedule.ConfirmPendingAsync(listed, now, ct);
                return new PendingScanResult(listed.Count, 0, pendingOfOurs, Complete: false);
            }

            changed.AddRange(approvals.Where(a => !spNos.Contains(a.SpNo)).Select(a => a.Id));
            if (templateId == ours)
            {
                pendingOfOurs = spNos;
            }
        }

        await schedule.ConfirmPendingAsync(listed, now, ct);
        await schedule.MakeDueAsync(changed, now, ct);
        return new PendingScanResult(listed.Count, changed.Count, pendingOfOurs, Complete: true);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed record Covered(Guid Id, string SpNo, string TemplateId, DateTimeOffset SubmittedAt);
}

/// <param name="Listed">Open approvals WeCom still lists as pending (confirmed without a call of their own).</param>
/// <param name="Changed">Open approvals no longer listed as pending: each is read in detail by this run.</param>
/// <param name="PendingOfOurTemplate">Every pending form of our template in the window, ours or not (for reconciliation).</param>
/// <param name="Complete">False when the minute's budget ran out before every list was read.</param>
internal sealed record PendingScanResult(int Listed, int Changed, IReadOnlySet<string> PendingOfOurTemplate, bool Complete);
