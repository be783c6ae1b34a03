using System.Text.Json;
using CrmIntegration.Api.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrmIntegration.Api.Telemetry;

/// <summary>
/// <c>/health/status</c>'s body: <c>{"status":"Degraded"}</c> for anyone (a monitor needs no token); for a caller with
/// the admin role also each check's description (which backlog, how old, how many dead letters) and figures.
/// The status code is 200 for Healthy and Degraded, 503 for Unhealthy, as ASP.NET Core's health checks answer.
/// </summary>
internal static class HealthStatusWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        object body = context.User.IsInRole(Roles.Admin)
            ? new
            {
                status = report.Status.ToString(),
                checks = report.Entries.Select(e => new
                {
                    name = e.Key,
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description,
                    data = e.Value.Data,
                }),
            }
            : new { status = report.Status.ToString() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
