using CrmIntegration.Api.Http;
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
        var check = app.MapApiGroup("/api/admin/integration-check", "Admin", Policies.Admin);
        check.MapGet("/", RunChecks)
            .WithName(nameof(RunChecks)).WithSummary("Run the integration checklist against WeCom and WeChat now, one check at a time");
        check.MapPost("/test-notification", SendTestNotification).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName(nameof(SendTestNotification)).WithSummary("Send a test subscription message to an employee");
        return app;
    }

    private static async Task<Ok<IntegrationCheckReport>> RunChecks(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new RunIntegrationCheckQuery(), ct));

    private static async Task<Ok<TestNotificationResult>> SendTestNotification(TestNotificationRequest request, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new SendTestNotificationCommand(request.EmployeeId ?? Guid.Empty), ct));

    internal sealed record TestNotificationRequest(Guid? EmployeeId);
}
