using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;
using CrmIntegration.Application.Approvals.QuoteEvents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmIntegration.Api.Approvals;

/// <summary>
/// Live quote status for the CRM frontend: <c>GET /api/quotes/events</c> is a Server-Sent Events stream of
/// <c>quote-status</c> events with their sequence as <c>id:</c>, so a reconnecting EventSource resumes with
/// <c>Last-Event-ID</c>. A browser's EventSource cannot send a bearer token: it opens the stream with a ticket from
/// <c>POST /api/quotes/events/ticket</c> (short-lived, good for this stream only, on any instance).
/// </summary>
internal static class QuoteEventEndpoints
{
    public const string EventType = "quote-status";

    public static IEndpointRouteBuilder MapQuoteEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/api/quotes/events", "Quotes", Policies.Staff)
            .MapPost("/ticket", IssueTicket)
            .WithName(nameof(IssueTicket)).WithSummary("Issue a short-lived ticket that opens the quote event stream (for EventSource)");

        // Anonymous at the gate: the handler takes a bearer token with a staff role, or a valid ticket.
        app.MapGet("/api/quotes/events", Stream).WithTags("Quotes").AllowAnonymous().WithMetadata(new BearerOrTicket())
            .WithName("StreamQuoteEvents").WithSummary("Live quote-status events (Server-Sent Events), resumable with Last-Event-ID")
            .Produces<QuoteStatusEventDto>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Ok<StreamTicketDto>> IssueTicket(HttpContext http, IStreamTickets tickets, CancellationToken ct) =>
        TypedResults.Ok(await tickets.IssueAsync(http.User.Identity?.Name ?? "unknown", ct));

    private static async Task<Results<EventStreamResult, ProblemHttpResult>> Stream(
        HttpContext http, IAuthorizationService authorization, IStreamTickets tickets, QuoteEventStream stream,
        string? ticket, Guid? quoteId, string? lastEventId, CancellationToken ct)
    {
        var signedIn = http.User.Identity?.IsAuthenticated == true;
        var allowed = (signedIn && (await authorization.AuthorizeAsync(http.User, Policies.Staff)).Succeeded)
                      || await tickets.IsValidAsync(ticket, ct);
        if (!allowed)
        {
            return signedIn && string.IsNullOrEmpty(ticket)
                ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                    detail: "The quote event stream needs one of the roles admin, manager, sales.",
                    extensions: new Dictionary<string, object?> { ["requiredRoles"] = new[] { "admin", "manager", "sales" } })
                : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                    detail: "Send a bearer token with a staff role, or ?ticket= from POST /api/quotes/events/ticket (it may have expired).");
        }

        // The header EventSource sends when it reconnects; the query form is for a client that opens a new EventSource.
        var resumeFrom = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        long? last = null;
        if (!string.IsNullOrEmpty(resumeFrom))
        {
            if (!long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid Last-Event-ID",
                    detail: "Last-Event-ID (or lastEventId) must be the id of an event this stream sent.",
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["lastEventId"] = ["Not an event id."] } });
            }

            last = parsed;
        }

        return new EventStreamResult(Items(stream.ReadAsync(last, quoteId, ct), ct));
    }

    /// <summary>
    /// Like ASP.NET Core's ServerSentEventsResult, but the headers go out at once: a client (and a proxy) learns the
    /// stream is open before the first change happens. Events are written with the runtime's SseFormatter.
    /// </summary>
    internal sealed class EventStreamResult(IAsyncEnumerable<SseItem<QuoteStatusEventDto>> items) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
                .Value.SerializerOptions;
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache, no-store";
            http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events through as they come
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
            await http.Response.Body.FlushAsync(http.RequestAborted);
            try
            {
                await SseFormatter.WriteAsync(items, http.Response.Body,
                    (item, buffer) =>
                    {
                        using var writer = new System.Text.Json.Utf8JsonWriter(buffer);
                        System.Text.Json.JsonSerializer.Serialize(writer, item.Data, json);
                    },
                    http.RequestAborted);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                // The client went away: the usual end of a stream.
            }
        }
    }

    private static async IAsyncEnumerable<SseItem<QuoteStatusEventDto>> Items(
        IAsyncEnumerable<QuoteStatusEventDto> events, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in events.WithCancellation(ct))
        {
            yield return new SseItem<QuoteStatusEventDto>(e, EventType) { EventId = e.Seq.ToString(CultureInfo.InvariantCulture) };
        }
    }
}
