using System.Text.Json.Serialization;
using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;
using CrmIntegration.Application.Approvals.SimulateApproval;
using CrmIntegration.Application.Approvals.WeCom;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Api.Approvals;

/// <summary>
/// The seed system's simulate-approval tool; mapped only when <see cref="WeComSimulationOptions.Enabled"/> (unset: in
/// Development only), 404 otherwise, and never in Production.
/// </summary>
internal static class SimulationEndpoints
{
    public const string EnabledKey = "WeCom:Simulation:Enabled";

    public static IEndpointRouteBuilder MapSimulationEndpoints(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        var simulation = app.ServiceProvider.GetRequiredService<IOptions<WeComOptions>>().Value.Simulation;
        if (!(simulation.Enabled ?? environment.IsDevelopment()))
        {
            return app;
        }

        if (environment.IsProduction())
        {
            app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SimulationEndpoints))
                .LogWarning("{Key} is ignored in Production: the simulate-approval endpoint is never mapped there", EnabledKey);
            return app;
        }

        app.MapApiGroup("/api/v1/wecom-callback", "WeCom", Policies.Admin)
            .MapPost("/simulate-approval", Simulate).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("SimulateApproval").WithSummary("Apply an approval outcome as if WeCom had called (never in Production)");
        return app;
    }

    private static async Task<Ok<SimulatedApprovalDto>> Simulate(SimulateApprovalRequest request, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new SimulateApprovalCommand(request.QuoteNumber ?? "", request.Action ?? ""), ct));

    /// <summary>The seed's body: {"quote_number": "CIS-…", "action": "approved" | "rejected" | "cancelled" | "pending"}.</summary>
    internal sealed record SimulateApprovalRequest(
        [property: JsonPropertyName("quote_number")] string? QuoteNumber,
        [property: JsonPropertyName("action")] string? Action);
}
