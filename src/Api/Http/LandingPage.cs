using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace CrmIntegration.Api.Http;

/// <summary>
/// <c>GET /</c>, anonymous: a small static page (wwwroot/landing/index.html) saying what the service is, with links
/// to the console, the API docs and health. The docs block (between <c>&lt;!-- openapi --&gt;</c> markers) is cut
/// out once at start-up when OpenApi is off, so the page never links to a route that is not there. Same headers as
/// the console (<see cref="ConsoleSetup"/>): its own CSP, nosniff, no referrer. Any other unknown path stays 401.
/// </summary>
internal static partial class LandingPage
{
    public static IEndpointRouteBuilder MapLandingPage(this IEndpointRouteBuilder app, IWebHostEnvironment environment, bool openApiEnabled)
    {
        var file = System.IO.Path.Combine(environment.WebRootPath ?? System.IO.Path.Combine(environment.ContentRootPath, "wwwroot"), "landing", "index.html");
        if (!File.Exists(file))
        {
            return app; // a build without the page's file
        }

        var html = Render(File.ReadAllText(file), openApiEnabled);
        app.MapGet("/", (HttpContext http) =>
        {
            var headers = http.Response.Headers;
            headers.CacheControl = "no-cache";
            headers[HeaderNames.ContentSecurityPolicy] = ConsoleSetup.ContentSecurityPolicy;
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return TypedResults.Content(html, "text/html; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The page as served: the docs block kept (markers removed) or cut out.</summary>
    internal static string Render(string template, bool openApiEnabled) =>
        OpenApiBlock().Replace(template, m => openApiEnabled ? m.Groups[1].Value : "");

    [GeneratedRegex(@"[ \t]*<!-- openapi -->\r?\n(.*?)[ \t]*<!-- /openapi -->\r?\n", RegexOptions.Singleline)]
    private static partial Regex OpenApiBlock();
}
