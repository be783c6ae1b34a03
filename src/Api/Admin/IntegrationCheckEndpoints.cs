using CrmIntegration.Api.Security;
using CrmIntegration.Application.Admin.IntegrationCheck;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

// In the root namespace so that Program.cs maps it with one line and no new using.
namespace CrmIntegration.Api;

/// <summary>The operations console's live status: the seed system's manual integration checklist, run on demand.</summary>
internal static class IntegrationCheckEndpoints
{
    public static IEndpointRouteBuilder MapIntegrationCheckEndpoints(this IEndpointRouteBuilder app)
    {
        var check = app.MapGroup("/api/admin/integration-check").WithTags("Admin").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        check.MapGet("/", RunChecks);
        check.MapPost("/test-notification", SendTestNotification).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<IntegrationCheckReport>> RunChecks(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new RunIntegrationCheckQuery(), ct));

    private static async Task<Ok<TestNotificationResult>> SendTestNotification(TestNotificationRequest request, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new SendTestNotificationCommand(request.EmployeeId ?? Guid.Empty), ct));

    internal sealed record TestNotificationRequest(Guid? EmployeeId);
}
