namespace CrmIntegration.Api.Http;

/// <summary>
/// Location headers are relative (<c>/api/quotes/{id}</c>, RFC 9110 §10.2.2): an absolute one would be built from
/// the request's Host header, which the client chooses (<c>Host: evil.example</c> would be echoed back).
/// </summary>
internal static class Locations
{
    public static string RelativeLocation(this LinkGenerator links, HttpContext http, string endpointName, Guid id) =>
        links.GetPathByName(http, endpointName, new { id })
        ?? throw new InvalidOperationException($"No route named '{endpointName}'.");
}
