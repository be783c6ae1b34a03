using System.Security.Claims;
using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Customers.AssignCustomer;
using CrmIntegration.Application.Customers.AssignFromPublicPool;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Application.Customers.BatchAssignCustomers;
using CrmIntegration.Application.Customers.CreateCustomer;
using CrmIntegration.Application.Customers.GetCustomer;
using CrmIntegration.Application.Customers.ListCustomers;
using CrmIntegration.Domain.Customers;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmIntegration.Api.Customers;

internal static class CustomerEndpoints
{
    public const string WeComUserIdClaim = "wecom_userid";

    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var customers = app.MapApiGroup("/api/customers", "Customers", Policies.Staff);
        customers.MapPost("/", CreateCustomer).RequireAuthorization(Policies.Managers).ProducesValidationProblem()
            .WithName(nameof(CreateCustomer)).WithSummary("Create a customer");
        customers.MapGet("/", ListCustomers).ProducesValidationProblem()
            .WithName(nameof(ListCustomers)).WithSummary("List customers");
        customers.MapGet("/{id:guid}", GetCustomer).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName(nameof(GetCustomer)).WithSummary("Get a customer");

        // The seed system's four assignment routes. None waits for WeChat: the notification is queued.
        customers.MapPatch("/miniprogram/{id:guid}/assign", AssignFromMiniProgram).RequireAuthorization(Policies.Managers)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(nameof(AssignFromMiniProgram)).WithSummary("Assign one customer (channel miniprogram)");
        customers.MapPatch("/{id:guid}/assign", AssignFromWeb).RequireAuthorization(Policies.Managers)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(nameof(AssignFromWeb)).WithSummary("Assign one customer (channel web)");
        customers.MapPost("/batch-assign", BatchAssign).RequireAuthorization(Policies.Managers)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(nameof(BatchAssign)).WithSummary("Assign customers, all or nothing");
        customers.MapPost("/public-pool/assign", AssignFromPublicPool).RequireAuthorization(Policies.Sales)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(nameof(AssignFromPublicPool)).WithSummary("Claim public-pool customers");
        return app;
    }

    private static async Task<Created<CustomerDto>> CreateCustomer(CreateCustomerCommand command, IMediator mediator, HttpContext http, LinkGenerator links, CancellationToken ct)
    {
        var customer = await mediator.Send(command, ct);
        return TypedResults.Created(links.RelativeLocation(http, nameof(GetCustomer), customer.Id), customer);
    }

    private static async Task<Ok<CustomerDto>> GetCustomer(Guid id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetCustomerQuery(id), ct));

    private static async Task<Ok<PagedResult<CustomerDto>>> ListCustomers(
        IMediator mediator, CancellationToken ct, Guid? ownerEmployeeId = null, bool? inPublicPool = null, int page = 1, int pageSize = 20) =>
        TypedResults.Ok(await mediator.Send(new ListCustomersQuery(ownerEmployeeId, inPublicPool, page, pageSize), ct));

    private static Task<Ok<AssignmentResultDto>> AssignFromMiniProgram(Guid id, AssignRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        Assign(id, request, AssignmentChannel.Miniprogram, user, mediator, ct);

    private static Task<Ok<AssignmentResultDto>> AssignFromWeb(Guid id, AssignRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        Assign(id, request, AssignmentChannel.Web, user, mediator, ct);

    private static async Task<Ok<AssignmentResultDto>> Assign(
        Guid id, AssignRequest request, AssignmentChannel channel, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new AssignCustomerCommand(id, request.EmployeeId ?? Guid.Empty, channel, ActorOf(user)), ct));

    private static async Task<Ok<AssignmentResultDto>> BatchAssign(BatchAssignRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(
            new BatchAssignCustomersCommand(request.CustomerIds ?? [], request.EmployeeId ?? Guid.Empty, ActorOf(user)), ct));

    private static async Task<Ok<AssignmentResultDto>> AssignFromPublicPool(BatchAssignRequest request, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(
            new AssignFromPublicPoolCommand(request.CustomerIds ?? [], request.EmployeeId ?? Guid.Empty, ActorOf(user)), ct));

    /// <summary>The caller as the use cases see it: <c>sub</c> for the history, <c>wecom_userid</c> to find a sales caller's employee.</summary>
    internal static Actor ActorOf(ClaimsPrincipal user) => new(
        user.FindFirst("sub")?.Value ?? user.Identity?.Name ?? "unknown",
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Manager),
        user.FindFirst(WeComUserIdClaim)?.Value);

    internal sealed record AssignRequest(Guid? EmployeeId);

    internal sealed record BatchAssignRequest(IReadOnlyList<Guid>? CustomerIds, Guid? EmployeeId);
}
