using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.ScanApprovalLists;

/// <summary>
/// Repairs a lost revoke: approvals we hold as approved (submitted within <see cref="WeComSyncOptions.RevokeLookBack"/>)
/// that WeCom lists as revoked after approval (6) or deleted (7) get that status, through the same path as callbacks
/// with source <c>sync</c>. The list says the status, so no detail read is needed. A cancel (4) can only follow a
/// pending form, which <see cref="PendingListScan"/> already reads when WeCom stops listing it as pending.
/// </summary>
internal sealed class RevokeListScan(IAppDbContext db, ApprovalListPager pager, IServiceScopeFactory scopes, IOptions<WeComOptions> options)
{
    private static readonly int[] Statuses = [WeComApprovalStatus.RevokedAfterApproval, WeComApprovalStatus.Deleted];

    /// <summary>How many approvals moved, and whether every list was read (false: the minute's budget ran out).</summary>
    public async Task<(int Changed, bool Complete)> RunAsync(DateTimeOffset now, PaidCalls calls, CancellationToken ct)
    {
        var sync = options.Value.Sync;
        if (sync.RevokeLookBack == TimeSpan.Zero)
        {
            return (0, true);
        }

        var end = now + ApprovalListPager.Margin;
        var since = now - sync.RevokeLookBack;
        var approved = await db.ApprovalInstances.AsNoTracking()
            .Where(a => a.Status == ApprovalStatus.Approved && a.Kind == ApprovalKind.System && a.SpNo != null && a.TemplateId != null
                        && a.SubmittedAt >= since)
            .Select(a => new { a.Id, SpNo = a.SpNo!, TemplateId = a.TemplateId!, a.SubmittedAt })
            .ToListAsync(ct);

        var changed = 0;
        foreach (var template in approved.GroupBy(a => a.TemplateId, StringComparer.Ordinal))
        {
            var oldest = template.Min(a => a.SubmittedAt) - ApprovalListPager.Margin;
            var from = oldest > end - ApprovalListPager.MaxSpan ? oldest : end - ApprovalListPager.MaxSpan;
            foreach (var status in Statuses)
            {
                var (spNos, complete) = await pager.ListAsync(template.Key, status, from, end, 0, calls, ct);
                foreach (var approval in template.Where(a => spNos.Contains(a.SpNo)))
                {
                    await using var scope = scopes.CreateAsyncScope(); // one approval's failure leaves nothing tracked for the next
                    var applied = await scope.ServiceProvider.GetRequiredService<ApprovalEventApplier>().ApplyAsync(
                        new ApprovalEvent($"sync:{approval.Id:N}:{status}", "sync_approval_list", approval.SpNo, null, status, null,
                            template.Key, now, $"{{\"getapprovalinfo\":{{\"sp_status\":{status},\"sp_no\":\"{approval.SpNo}\"}}}}"),
                        TimelineSource.Sync, ct);
                    changed += applied.Outcome == TimelineOutcome.Applied ? 1 : 0;
                }

                if (!complete)
                {
                    return (changed, false);
                }
            }
        }

        return (changed, true);
    }
}
