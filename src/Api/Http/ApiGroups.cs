namespace CrmIntegration.Api.Http;

internal static class ApiGroups
{
    /// <summary>
    /// A group of /api routes behind <paramref name="policy"/>: every one of them can answer 401 (no or a bad token),
    /// 403 (not the role) and 429 (over the caller's rate limit), as ProblemDetails.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag, string policy) =>
        app.MapGroup(prefix).WithTags(tag).RequireAuthorization(policy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
