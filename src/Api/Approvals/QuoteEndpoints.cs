using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;
using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.GetQuote;
using CrmIntegration.Application.Approvals.GetQuoteTimeline;
using CrmIntegration.Application.Approvals.ListQuotes;
using CrmIntegration.Application.Common.Models;
using System.Security.Claims;
using CrmIntegration.Application.Approvals.SubmitQuoteForApproval;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmIntegration.Api.Approvals;

internal static class QuoteEndpoints
{
    public static IEndpointRouteBuilder MapQuoteEndpoints(this IEndpointRouteBuilder app)
    {
        var quotes = app.MapGroup("/api/quotes").WithTags("Quotes").RequireAuthorization(Policies.Staff)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        quotes.MapPost("/", CreateQuote).RequireAuthorization(Policies.Sales).ProducesValidationProblem();
        quotes.MapGet("/", ListQuotes).ProducesValidationProblem();
        quotes.MapGet("/{id:guid}", GetQuote).WithName(nameof(GetQuote)).ProducesProblem(StatusCodes.Status404NotFound);
        quotes.MapGet("/{id:guid}/timeline", GetQuoteTimeline).ProducesProblem(StatusCodes.Status404NotFound);
        quotes.MapPost("/{id:guid}/submit-approval", SubmitQuoteForApproval).RequireAuthorization(Policies.Sales)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapPost("/api/admin/approvals/sync", SyncApprovals).WithTags("Admin").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Created<QuoteDto>> CreateQuote(CreateQuoteCommand command, IMediator mediator, HttpContext http, LinkGenerator links, CancellationToken ct)
    {
        var quote = await mediator.Send(command, ct);
        return TypedResults.Created(links.RelativeLocation(http, nameof(GetQuote), quote.Id), quote);
    }

    private static async Task<Ok<QuoteDto>> GetQuote(Guid id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetQuoteQuery(id), ct));

    private static async Task<Ok<PagedResult<QuoteDto>>> ListQuotes(
        IMediator mediator, CancellationToken ct, string? number = null, string? status = null, int page = 1, int pageSize = 20) =>
        TypedResults.Ok(await mediator.Send(new ListQuotesQuery(number, status, page, pageSize), ct));

    /// <summary>201 when WeCom took the form; 202 when its answer was lost (the sync's reconciliation settles it).</summary>
    private static async Task<Results<Created<QuoteSubmissionDto>, Accepted<QuoteSubmissionDto>>> SubmitQuoteForApproval(
        Guid id, SubmitApprovalRequest? request, ClaimsPrincipal user, IMediator mediator, CancellationToken ct)
    {
        var creator = string.IsNullOrWhiteSpace(request?.CreatorUserId) ? user.FindFirstValue("wecom_userid") : request.CreatorUserId;
        var result = await mediator.Send(
            new SubmitQuoteForApprovalCommand(id, creator, request?.ApproverUserIds, request?.NotifyUserIds), ct);
        var location = $"/api/quotes/{id}";
        return result.Submission == SubmissionState.Submitted
            ? TypedResults.Created(location, result)
            : TypedResults.Accepted(location, result);
    }

    private static async Task<Ok<SyncReport>> SyncApprovals(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new SyncPendingApprovalsCommand(), ct));

    private static async Task<Ok<IReadOnlyList<TimelineEventDto>>> GetQuoteTimeline(Guid id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetQuoteTimelineQuery(id), ct));

    /// <summary>All optional: the creator defaults to the caller's wecom_userid claim.</summary>
    internal sealed record SubmitApprovalRequest(string? CreatorUserId, IReadOnlyList<string>? ApproverUserIds, IReadOnlyList<string>? NotifyUserIds);
}
