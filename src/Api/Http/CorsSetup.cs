using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CrmIntegration.Api.Http;

/// <summary>
/// Browser clients: CORS for the origins in Cors:AllowedOrigins (none by default), on /api only. The policy runs
/// as middleware before authentication, so a preflight is answered (204) without a token; the WeCom callback and
/// everything else outside /api never carry CORS headers.
/// </summary>
internal static class CorsSetup
{
    public const string Policy = "Api";

    public static IServiceCollection AddCrmCors(this IServiceCollection services)
    {
        services.AddOptions<CrossOriginOptions>().BindConfiguration(CrossOriginOptions.Section);
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CrossOriginOptions>>((o, settings) => o.AddPolicy(Policy, p => p
            .WithOrigins(settings.Value.AllowedOrigins)
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
            .WithHeaders(HeaderNames.Authorization, HeaderNames.ContentType)
            .WithExposedHeaders(HeaderNames.Location, HeaderNames.RetryAfter)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    public static IApplicationBuilder UseCrmCors(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), api => api.UseCors(Policy));
}
