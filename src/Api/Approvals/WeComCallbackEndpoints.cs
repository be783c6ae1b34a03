using System.Buffers;
using System.Text;
using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.ListInboxMessages;
using CrmIntegration.Application.Approvals.RetryInboxMessage;
using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.Extensions.Options;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmIntegration.Api.Approvals;

/// <summary>WeCom's callback URL: GET verifies it, POST delivers encrypted events (docs/wecom.md §2).</summary>
internal static class WeComCallbackEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapWeComCallbackEndpoints(this IEndpointRouteBuilder app)
    {
        var callback = app.MapGroup("/wecom/callback").WithTags("WeCom").AllowAnonymous();
        callback.MapGet("/", VerifyUrl).Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("VerifyWeComCallbackUrl").WithSummary("WeCom's URL verification: answers the decrypted echostr");
        callback.MapPost("/", Receive).DisableAntiforgery().Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest).Produces<string>(StatusCodes.Status413PayloadTooLarge, "text/plain")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ReceiveWeComCallback").WithSummary("WeCom's encrypted approval events: stored, then 'success'");

        var inbox = app.MapApiGroup("/api/admin/wecom/inbox", "Admin", Policies.Admin);
        inbox.MapGet("/", ListInbox).ProducesValidationProblem().WithEnumQuery<InboxStatus>("status")
            .WithName(nameof(ListInbox)).WithSummary("List stored WeCom callbacks, newest first");
        inbox.MapPost("/{id:guid}/retry", RetryInbox).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(nameof(RetryInbox)).WithSummary("Queue a failed callback again");
        inbox.MapPost("/retry-failed", RetryFailedInbox)
            .WithName(nameof(RetryFailedInbox)).WithSummary("Queue every failed callback again (at most 1,000 per call)");
        return app;
    }

    // ASP.NET has URL-decoded the query once; decoding echostr again would turn '+' into ' ' (-40001).
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> VerifyUrl(
        IOptions<WeComOptions> options, IMediator mediator, ILoggerFactory logs,
        string? msg_signature, string? timestamp, string? nonce, string? echostr, CancellationToken ct)
    {
        if (!options.Value.CallbacksConfigured)
        {
            return NotConfigured();
        }

        try
        {
            var echo = await mediator.Send(new VerifyCallbackUrlQuery(msg_signature, timestamp, nonce, echostr), ct);
            return TypedResults.Text(echo, "text/plain", Encoding.UTF8);
        }
        catch (WeComCryptoException e)
        {
            return Refused(e, logs);
        }
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Receive(
        HttpRequest request, IOptions<WeComOptions> options, IMediator mediator, CrmMetrics metrics, ILoggerFactory logs,
        string? msg_signature, string? timestamp, string? nonce, CancellationToken ct)
    {
        if (!options.Value.CallbacksConfigured)
        {
            return NotConfigured();
        }

        var body = await ReadBodyAsync(request, ct);
        if (body is null)
        {
            return TypedResults.Text($"Request body over {MaxBodyBytes} bytes.", "text/plain", Encoding.UTF8, StatusCodes.Status413PayloadTooLarge);
        }

        try
        {
            // Stored before we answer: an acknowledged event is never lost. WeCom expects the plain text "success".
            var receipt = await mediator.Send(new StoreApprovalCallbackCommand(msg_signature, timestamp, nonce, body), ct);
            if (receipt == CallbackReceipt.Duplicate)
            {
                metrics.CallbackDuplicate();
            }
            else
            {
                metrics.CallbackStored();
            }

            return TypedResults.Text("success", "text/plain", Encoding.UTF8);
        }
        catch (WeComCryptoException e)
        {
            metrics.CallbackRefused(e.Code);
            return Refused(e, logs);
        }
    }

    private static async Task<Ok<PagedResult<InboxMessageDto>>> ListInbox(
        IMediator mediator, CancellationToken ct, string? status = null, int page = 1, int pageSize = 50) =>
        TypedResults.Ok(await mediator.Send(new ListInboxMessagesQuery(status, page, pageSize), ct));

    private static async Task<Accepted> RetryInbox(Guid id, IMediator mediator, CancellationToken ct)
    {
        await mediator.Send(new RetryInboxMessageCommand(id), ct); // 404 and 409 come from the exception handler
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Ok<RetriedCount>> RetryFailedInbox(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(new RetriedCount(await mediator.Send(new RetryFailedInboxMessagesCommand(), ct)));

    /// <summary>The body as text, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxBodyBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), ct)) > 0)
            {
                length += read;
            }

            return length > MaxBodyBytes ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A short text naming WeCom's code; nothing about the keys.
    private static ProblemHttpResult Refused(WeComCryptoException e, ILoggerFactory logs)
    {
        logs.CreateLogger(typeof(WeComCallbackEndpoints)).LogWarning("WeCom callback refused: {Code} {Reason}", e.Code, e.Message);
        return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"WeCom error {e.Code}",
            detail: e.Message, extensions: new Dictionary<string, object?> { ["errcode"] = e.Code });
    }

    private static ProblemHttpResult NotConfigured() =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "WeCom callbacks are not configured",
            detail: "Set WeCom:CorpId, WeCom:Token and WeCom:EncodingAesKey.");
}
