using System.Text.Json;
using System.Text.Json.Serialization;
using CrmIntegration.Api.ErrorHandling;
using CrmIntegration.Api.Http;
using CrmIntegration.Api.Security;

namespace CrmIntegration.Api;

internal static class ApiServices
{
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            // camelCase members (the default) and enum values as lowercase words: "pending_approval".
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            // Strict JSON, so a gateway and the service cannot read one request two ways: a repeated property is
            // refused (not "last wins") and numbers are JSON numbers (the web defaults also read "12.5").
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        // Malformed JSON or parameters throw, so the one exception handler answers them as ProblemDetails.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // The W3C trace id (a caller's traceparent continues its trace), as in every log line of the request.
        // A 401 or 403 also says why (AuthProblems, ADR-17).
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? c.HttpContext.TraceIdentifier;
            AuthProblems.Describe(c);
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.Configure<ExceptionHandlerOptions>(o => o.SuppressDiagnosticsCallback = RequestLogging.SuppressHandledExceptions);
        services.AddCrmAuthentication();
        services.AddCrmCors();
        services.AddCrmRateLimiting();
        services.AddCrmOpenApi();
        return services;
    }
}
