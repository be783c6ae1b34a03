using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.ListApprovals;

/// <summary>Approvals, newest submission first; <see cref="Open"/> filters open (true) or closed (false) ones.</summary>
public sealed record ListApprovalsQuery(bool? Open, int Page = 1, int PageSize = 20) : IRequest<PagedResult<ApprovalDto>>;

public sealed record ApprovalDto(
    Guid Id,
    Guid QuoteId,
    string QuoteNumber,
    string? SpNo,
    ApprovalKind Kind,
    ApprovalStatus Status,
    SubmissionState Submission,
    bool IsOpen,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? LastEventAt,
    DateTimeOffset? LastSyncedAt);

internal sealed class ListApprovalsQueryHandler(IAppDbContext db) : IRequestHandler<ListApprovalsQuery, PagedResult<ApprovalDto>>
{
    public async Task<PagedResult<ApprovalDto>> Handle(ListApprovalsQuery query, CancellationToken cancellationToken)
    {
        var approvals = db.ApprovalInstances.AsNoTracking();
        if (query.Open is { } open)
        {
            approvals = approvals.Where(a => a.IsOpen == open);
        }

        var total = await approvals.CountAsync(cancellationToken);
        var items = await approvals.OrderByDescending(a => a.SubmittedAt).ThenByDescending(a => a.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(a => new ApprovalDto(a.Id, a.QuoteId, a.ThirdNo, a.SpNo, a.Kind, a.Status, a.SubmissionState, a.IsOpen,
                a.SubmittedAt, a.LastEventAt, db.ApprovalSync.Where(s => s.Id == a.Id).Select(s => s.LastSyncedAt).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new PagedResult<ApprovalDto>(items, query.Page, query.PageSize, total);
    }
}
