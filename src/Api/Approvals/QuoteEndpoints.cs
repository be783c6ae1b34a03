using CrmIntegration.Api.Security;
using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.GetQuote;
using CrmIntegration.Application.Approvals.GetQuoteTimeline;
using CrmIntegration.Application.Approvals.ListQuotes;
using CrmIntegration.Application.Common.Models;
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
        return app;
    }

    private static async Task<CreatedAtRoute<QuoteDto>> CreateQuote(CreateQuoteCommand command, IMediator mediator, CancellationToken ct)
    {
        var quote = await mediator.Send(command, ct);
        return TypedResults.CreatedAtRoute(quote, nameof(GetQuote), new { id = quote.Id });
    }

    private static async Task<Ok<QuoteDto>> GetQuote(Guid id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetQuoteQuery(id), ct));

    private static async Task<Ok<PagedResult<QuoteDto>>> ListQuotes(
        IMediator mediator, CancellationToken ct, string? number = null, string? status = null, int page = 1, int pageSize = 20) =>
        TypedResults.Ok(await mediator.Send(new ListQuotesQuery(number, status, page, pageSize), ct));

    private static async Task<Ok<IReadOnlyList<TimelineEventDto>>> GetQuoteTimeline(Guid id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetQuoteTimelineQuery(id), ct));
}
