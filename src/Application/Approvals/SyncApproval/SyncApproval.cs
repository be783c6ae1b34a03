using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.SyncApproval;

/// <summary>
/// Reads one approval's status back from WeCom (one call: getapprovaldetail for a system approval,
/// getopenapprovaldata for an open one) and applies it through the same path as callbacks, with source <c>sync</c>.
/// Each distinct status the sync sees is recorded once per approval; repeats are duplicates and cost nothing.
/// WeCom's and the store's failures are thrown for the caller to count and schedule. The call is paid from the shared
/// WeCom call budget by the sender, SyncPendingApprovals, which takes one per claimed approval, a batch at a time.
/// </summary>
public sealed record SyncApprovalCommand(Guid ApprovalId) : IRequest<ApprovalEventResult>;

internal sealed class SyncApprovalCommandHandler(IAppDbContext db, IWeComApi weCom, ApprovalEventApplier applier, TimeProvider clock)
    : IRequestHandler<SyncApprovalCommand, ApprovalEventResult>
{
    public async Task<ApprovalEventResult> Handle(SyncApprovalCommand command, CancellationToken cancellationToken)
    {
        var approval = await db.ApprovalInstances.AsNoTracking().SingleOrDefaultAsync(a => a.Id == command.ApprovalId, cancellationToken)
                       ?? throw new NotFoundException("Approval", command.ApprovalId);
        var approvalEvent = await ReadStatusAsync(approval, cancellationToken);
        return await applier.ApplyAsync(approvalEvent, TimelineSource.Sync, cancellationToken);
    }

    private async Task<ApprovalEvent> ReadStatusAsync(ApprovalInstance approval, CancellationToken ct)
    {
        // Taken before the read: a change WeCom makes while we read it is newer than what we saw.
        var now = clock.GetUtcNow();
        if (approval is { Kind: ApprovalKind.System, SpNo: { } spNo })
        {
            var detail = await weCom.GetApprovalDetailAsync(spNo, ct);
            return new ApprovalEvent($"sync:{approval.Id:N}:{detail.SpStatus}", "sync_approval_detail", spNo, null,
                detail.SpStatus, null, detail.TemplateId, now, detail.RawJson);
        }

        var data = await weCom.GetOpenApprovalDataAsync(approval.ThirdNo, ct);
        return new ApprovalEvent($"sync:{approval.Id:N}:{data.Status}", "sync_open_approval_data", null, approval.ThirdNo,
            data.Status, null, data.TemplateId, now, data.RawJson);
    }
}
