using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Domain.Common;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CrmIntegration.Api.ErrorHandling;

/// <summary>Maps known exceptions to ProblemDetails in every environment; anything else is a bare 500.</summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (IsClientGone(context, exception))
        {
            // The client reset the connection mid-request: nobody to answer, nothing for an operator to do. The
            // request line records 499 at Information (the middleware does the same when RequestAborted is set).
            // Aborting our side too keeps Kestrel from draining a body reader the reset left mid-read, which it
            // would log at Error (dotnet/aspnetcore#17840).
            context.Response.StatusCode = RequestLogging.ClientClosedRequest;
            context.Abort();
            return true;
        }

        ProblemDetails? problem = exception switch
        {
            ValidationException e => new HttpValidationProblemDetails(JsonNames.Of(e.Errors)) { Status = StatusCodes.Status400BadRequest },
            BadHttpRequestException e => BadRequests.ToProblem(e),
            NotFoundException { Ids: { } ids } e => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Detail = e.Message,
                Extensions = { ["entity"] = e.Entity, ["ids"] = ids }, // a batch fails as a whole and names what failed
            },
            NotFoundException e => new ProblemDetails { Status = StatusCodes.Status404NotFound, Detail = e.Message },
            BusinessRuleException { Rule: IBusinessRuleWithIds rule } e => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Rule broken",
                Detail = e.Message,
                Extensions = { ["rule"] = e.RuleName, ["ids"] = rule.FailedIds },
            },
            BusinessRuleException e => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Rule broken",
                Detail = e.Message,
                Extensions = { ["rule"] = e.RuleName },
            },
            ConflictException e => new ProblemDetails { Status = StatusCodes.Status409Conflict, Detail = e.Message },
            FeatureNotConfiguredException e => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable, Title = "Feature not configured", Detail = e.Message,
            },
            UpstreamRefusedException e => new ProblemDetails
            {
                Status = StatusCodes.Status502BadGateway,
                Title = "Refused upstream",
                Detail = e.Message,
                Extensions = { ["errcode"] = e.ErrCode },
            },
            UnauthorizedAccessException => new ProblemDetails { Status = StatusCodes.Status401Unauthorized },
            ForbiddenAccessException e => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Detail = e.Message },
            _ => null,
        };
        if (problem is null)
        {
            return false; // the middleware logs it and writes a bare 500 (ProblemDetails without internals)
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>A reset from the client, seen as the request body failing (before or after RequestAborted is set).</summary>
    private static bool IsClientGone(HttpContext context, Exception exception) =>
        exception is ConnectionResetException
        || (exception is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested);
}
