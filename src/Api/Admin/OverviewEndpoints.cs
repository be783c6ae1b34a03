using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;
using CrmIntegration.Application.Admin.GetOperationsOverview;
using CrmIntegration.Application.Admin.GetWorkQueues;
using CrmIntegration.Application.Approvals.ListApprovals;
using CrmIntegration.Application.Common.Models;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmIntegration.Api.Admin;

/// <summary>What the operations console reads: the overview and the work queues (admin), the approvals list (any role).</summary>
internal static class OverviewEndpoints
{
    public static IEndpointRouteBuilder MapOverviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/api/admin/overview", "Admin", Policies.Admin)
            .MapGet("/", GetOverview)
            .WithName(nameof(GetOverview)).WithSummary("Quotes, callbacks and notifications by status, backlogs, the last sync, per-minute activity");
        app.MapApiGroup("/api/admin/work-queues", "Admin", Policies.Admin)
            .MapGet("/", GetWorkQueues)
            .WithName(nameof(GetWorkQueues)).WithSummary("The three work queues (callbacks, notifications, approval sync): rows by status, due now, oldest due");
        app.MapApiGroup("/api/approvals", "Quotes", Policies.Staff)
            .MapGet("/", ListApprovals).ProducesValidationProblem()
            .WithName(nameof(ListApprovals)).WithSummary("List approvals (sp_no, kind, submission state, last synced), newest first");
        return app;
    }

    private static async Task<Ok<OperationsOverviewDto>> GetOverview(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetOperationsOverviewQuery(), ct));

    private static async Task<Ok<IReadOnlyList<WorkQueueDto>>> GetWorkQueues(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetWorkQueuesQuery(), ct));

    private static async Task<Ok<PagedResult<ApprovalDto>>> ListApprovals(
        IMediator mediator, CancellationToken ct, bool? open = null, int page = 1, int pageSize = 20) =>
        TypedResults.Ok(await mediator.Send(new ListApprovalsQuery(open, page, pageSize), ct));
}
