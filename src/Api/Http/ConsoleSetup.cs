using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CrmIntegration.Api.Http;

/// <summary>
/// The operations console (ADR-20): plain HTML, CSS and ES modules under wwwroot/console, served as static files
/// before authentication (the files hold nothing secret; everything they show comes from /api with the user's
/// bearer token). Outside /api, so no CORS headers and no rate limit. <c>/console</c> redirects to <c>/console/</c>.
/// </summary>
internal static class ConsoleSetup
{
    public const string Path = "/console";

    // Same-origin only: the console talks to this service and nothing else; no inline script or style. The landing page uses it too.
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseCrmConsole(this WebApplication app)
    {
        var root = System.IO.Path.Combine(app.Environment.WebRootPath ?? System.IO.Path.Combine(app.Environment.ContentRootPath, "wwwroot"), "console");
        if (!Directory.Exists(root))
        {
            return app; // a build without the console's files
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            OnPrepareResponse = c =>
            {
                var headers = c.Context.Response.Headers;
                headers.CacheControl = "no-cache"; // revalidate (ETag): a deployment shows at once
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });

        // A path under /console/ that is neither a file nor an endpoint (config.json) is missing: 404 for anyone. Without
        // this the fallback authorization policy would answer 401, as if a token could make the file appear.
        return app.Use((context, next) =>
        {
            if (context.GetEndpoint() is null && context.Request.Path.StartsWithSegments(Path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask; // UseStatusCodePages writes the ProblemDetails
            }

            return next(context);
        });
    }

    /// <summary><c>GET /console/config.json</c>, anonymous: what the page may know before sign-in (the environment, for the dev-token hint).</summary>
    public static IEndpointRouteBuilder MapConsoleConfig(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        app.MapGet(Path + "/config.json", () => TypedResults.Json(new { environment = environment.EnvironmentName }))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
