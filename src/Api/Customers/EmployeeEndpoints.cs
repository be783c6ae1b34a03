using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Customers.CreateEmployee;
using CrmIntegration.Application.Customers.GetEmployee;
using CrmIntegration.Application.Customers.ListEmployees;
using CrmIntegration.Application.Customers.SetEmployeeOpenId;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmIntegration.Api.Customers;

internal static class EmployeeEndpoints
{
    public static IEndpointRouteBuilder MapEmployeeEndpoints(this IEndpointRouteBuilder app)
    {
        var employees = app.MapApiGroup("/api/employees", "Employees", Policies.Staff);
        employees.MapPost("/", CreateEmployee).RequireAuthorization(Policies.Managers)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithName(nameof(CreateEmployee)).WithSummary("Create an employee");
        employees.MapGet("/", ListEmployees).ProducesValidationProblem()
            .WithName(nameof(ListEmployees)).WithSummary("List employees");
        employees.MapGet("/{id:guid}", GetEmployee).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName(nameof(GetEmployee)).WithSummary("Get an employee");
        employees.MapPut("/{id:guid}/openid", SetOpenId).RequireAuthorization(Policies.Managers)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName(nameof(SetOpenId)).WithSummary("Set or clear an employee's mini-program openid");
        return app;
    }

    private static async Task<Created<EmployeeDto>> CreateEmployee(CreateEmployeeCommand command, IMediator mediator, HttpContext http, LinkGenerator links, CancellationToken ct)
    {
        var employee = await mediator.Send(command, ct);
        return TypedResults.Created(links.RelativeLocation(http, nameof(GetEmployee), employee.Id), employee);
    }

    private static async Task<Ok<EmployeeDto>> GetEmployee(Guid id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetEmployeeQuery(id), ct));

    private static async Task<Ok<PagedResult<EmployeeDto>>> ListEmployees(IMediator mediator, CancellationToken ct, int page = 1, int pageSize = 20) =>
        TypedResults.Ok(await mediator.Send(new ListEmployeesQuery(page, pageSize), ct));

    private static async Task<Ok<EmployeeDto>> SetOpenId(Guid id, SetOpenIdRequest request, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new SetEmployeeOpenIdCommand(id, request.MiniProgramOpenId), ct));

    internal sealed record SetOpenIdRequest(string? MiniProgramOpenId);
}
