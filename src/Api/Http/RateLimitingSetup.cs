using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Api.Http;

/// <summary>
/// Inbound rate limiting with the framework's limiter (ADR-16): on /api, a fixed one-minute window per caller, the
/// token's <c>sub</c> when it authenticated, else the client IP; over it, 429 ProblemDetails with Retry-After.
/// The WeCom callback is never limited (WeCom retries a refused delivery three times only).
/// </summary>
internal static class RateLimitingSetup
{
    public static IServiceCollection AddCrmRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<RateLimitingOptions>>((o, settings) =>
            {
                var limits = settings.Value;
                o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    !limits.Enabled || !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                        ? RateLimitPartition.GetNoLimiter("")
                        : RateLimitPartition.GetFixedWindowLimiter(CallerOf(http), _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = limits.PermitsPerMinute,
                            Window = TimeSpan.FromMinutes(1),
                            QueueLimit = 0,
                        }));
                o.OnRejected = (context, _) => RejectAsync(context, limits.PermitsPerMinute);
            });
        return services;
    }

    /// <summary>The token's subject when the caller authenticated (UseAuthentication runs first), else the client IP.</summary>
    internal static string CallerOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true && http.User.FindFirst("sub")?.Value is { Length: > 0 } subject
            ? "sub:" + subject
            : "ip:" + http.Connection.RemoteIpAddress;

    private static async ValueTask RejectAsync(OnRejectedContext context, int permitsPerMinute)
    {
        var http = context.HttpContext;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Each caller may make {permitsPerMinute} requests per minute; retry after the seconds in Retry-After.",
            },
        });
    }
}
