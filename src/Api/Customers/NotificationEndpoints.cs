using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Customers.ListNotifications;
using CrmIntegration.Application.Customers.RetryNotification;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmIntegration.Api.Customers;

internal static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapApiGroup("/api/notifications", "Notifications", Policies.Managers);
        notifications.MapGet("/", ListNotifications).ProducesValidationProblem().WithEnumQuery<NotificationStatus>("status")
            .WithName(nameof(ListNotifications)).WithSummary("List notifications, newest first");
        notifications.MapPost("/{id:guid}/retry", RetryNotification).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(nameof(RetryNotification)).WithSummary("Queue an undelivered notification again");
        notifications.MapPost("/retry-undelivered", RetryUndeliveredNotifications).RequireAuthorization(Policies.Admin)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).WithEnumQuery<NotificationStatus>("status")
            .WithName(nameof(RetryUndeliveredNotifications))
            .WithSummary("Queue every notification of one undelivered status again (dead, unconfirmed, failed, …; at most 1,000 per call)");
        return app;
    }

    private static async Task<Ok<PagedResult<NotificationDto>>> ListNotifications(
        IMediator mediator, CancellationToken ct, string? status = null, Guid? employeeId = null, int page = 1, int pageSize = 20) =>
        TypedResults.Ok(await mediator.Send(new ListNotificationsQuery(status, employeeId, page, pageSize), ct));

    private static async Task<Ok<RetriedCount>> RetryUndeliveredNotifications(IMediator mediator, CancellationToken ct, string? status = null) =>
        TypedResults.Ok(new RetriedCount(await mediator.Send(new RetryUndeliveredNotificationsCommand(status), ct)));

    private static async Task<Ok<NotificationDto>> RetryNotification(Guid id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new RetryNotificationCommand(id), ct));
}
