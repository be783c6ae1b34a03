using System.Text.Json;
using System.Text.Json.Serialization;
using CrmIntegration.Api.ErrorHandling;
using CrmIntegration.Api.Security;

namespace CrmIntegration.Api;

internal static class ApiServices
{
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            // camelCase members (the default) and enum values as lowercase words: "pending_approval".
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        });

        // Malformed JSON or parameters throw, so the one exception handler answers them as ProblemDetails.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddCrmAuthentication();
        services.AddOpenApi();
        return services;
    }
}
