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
        var quotes = app.MapApiGroup("/api/quotes", "Quotes", Policies.Staff);
        quotes.MapPost("/", CreateQuote).RequireAuthorization(Policies.Sales).ProducesValidationProblem()
            .WithName(nameof(CreateQuote)).WithSummary("Create a draft quote");
        quotes.MapGet("/", ListQuotes).ProducesValidationProblem().WithEnumQuery<QuoteStatus>("status")
            .WithName(nameof(ListQuotes)).WithSummary("List quotes, newest first");
        quotes.MapGet("/{id:guid}", GetQuote).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName(nameof(GetQuote)).WithSummary("Get a quote");
        quotes.MapGet("/{id:guid}/timeline", GetQuoteTimeline).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName(nameof(GetQuoteTimeline)).WithSummary("Every approval event recorded for a quote");
        quotes.MapPost("/{id:guid}/submit-approval", SubmitQuoteForApproval).RequireAuthorization(Policies.Sales)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName(nameof(SubmitQuoteForApproval)).WithSummary("Submit a quote to WeCom approval");

        app.MapApiGroup("/api/admin/approvals", "Admin", Policies.Admin)
            .MapPost("/sync", SyncApprovals).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName(nameof(SyncApprovals)).WithSummary("Run the compensation sync now");
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
