using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CrmIntegration.Api.ErrorHandling;

/// <summary>Maps known exceptions to ProblemDetails in every environment; anything else is a bare 500.</summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            ValidationException e => new HttpValidationProblemDetails(e.Errors) { Status = StatusCodes.Status400BadRequest },
            BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Detail = e.Message },
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
}
