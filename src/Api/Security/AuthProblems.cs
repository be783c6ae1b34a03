using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace CrmIntegration.Api.Security;

/// <summary>
/// Why a request was refused (ADR-17): the JWT handler's failure, classified by exception type, for a 401; the roles
/// the endpoint's policy asks for, for a 403. Kept on the request and written into the ProblemDetails that
/// UseStatusCodePages produces; the framework still writes the status and the WWW-Authenticate header. Only fixed
/// texts: never the token, a claim value, a key or the handler's message.
/// </summary>
internal static class AuthProblems
{
    private static readonly object ItemKey = new();

    public sealed record Reason(string Code, string Detail, IReadOnlyList<string>? RequiredRoles = null);

    /// <summary>JwtBearerEvents.OnChallenge: remember why; the default challenge still runs.</summary>
    public static Task OnChallenge(JwtBearerChallengeContext context)
    {
        context.HttpContext.Items[ItemKey] = Classify(context.AuthenticateFailure);
        return Task.CompletedTask;
    }

    public static Reason Classify(Exception? failure) => failure switch
    {
        null => new("missing_token", "No bearer token was sent: send 'Authorization: Bearer <token>'."),
        AggregateException { InnerExceptions.Count: > 0 } many => Classify(many.InnerExceptions[0]),
        SecurityTokenExpiredException => new("token_expired", "The token has expired; get a new one."),
        SecurityTokenNotYetValidException => new("token_not_yet_valid", "The token is not valid yet (its nbf is in the future)."),
        SecurityTokenInvalidIssuerException => new("invalid_issuer", "The token's issuer is not accepted by this service."),
        SecurityTokenInvalidAudienceException => new("invalid_audience", "The token's audience is not this service."),
        SecurityTokenSignatureKeyNotFoundException => new("unknown_signing_key", "The token is signed with a key this service does not know."),
        SecurityTokenInvalidSignatureException => new("invalid_signature", "The token's signature is not valid."),
        SecurityTokenMalformedException => new("malformed_token", "The bearer token is not a JWT."),
        _ => new("invalid_token", "The bearer token was not accepted."),
    };

    /// <summary>The roles that satisfy every role requirement of <paramref name="policy"/> (any one of them will do).</summary>
    public static Reason Forbidden(AuthorizationPolicy policy)
    {
        var sets = policy.Requirements.OfType<RolesAuthorizationRequirement>().Select(r => r.AllowedRoles.ToList()).ToList();
        if (sets.Count == 0)
        {
            return new("forbidden", "The token does not allow this request.");
        }

        var roles = sets.Skip(1).Aggregate((IEnumerable<string>)sets[0], (all, set) => all.Intersect(set, StringComparer.Ordinal)).ToList();
        return new("missing_role", $"This route needs one of the roles: {string.Join(", ", roles)}.", roles);
    }

    /// <summary>For AddProblemDetails: a 401 or 403 says why.</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            || context.HttpContext.Items[ItemKey] is not Reason reason)
        {
            return;
        }

        context.ProblemDetails.Detail = reason.Detail;
        context.ProblemDetails.Extensions["reason"] = reason.Code;
        if (reason.RequiredRoles is not null)
        {
            context.ProblemDetails.Extensions["requiredRoles"] = reason.RequiredRoles;
        }
    }

    /// <summary>The standard hook between authorization and the forbid: it notes the roles, then does what the framework does.</summary>
    internal sealed class ResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden)
            {
                context.Items[ItemKey] = Forbidden(policy);
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
