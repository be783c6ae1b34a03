using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace CrmIntegration.Api.ErrorHandling;

/// <summary>
/// A request the framework could not read, answered in the client's terms: the JSON path or parameter that failed,
/// never the C# type or parameter name (those are in the framework's message, which only the Debug log keeps).
/// </summary>
internal static partial class BadRequests
{
    public static ProblemDetails ToProblem(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json)
        {
            var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
            return Invalid(e.StatusCode, "The request body is not valid JSON for this endpoint.",
                path, $"The JSON at '{path}' is malformed, has the wrong type, or repeats a property.");
        }

        var message = e.Message;
        if (BodyUnread().IsMatch(message))
        {
            return Invalid(e.StatusCode, "A JSON body is required.", "$", "A JSON value of the expected shape is required.");
        }

        if (BindFailed().Match(message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return Invalid(e.StatusCode, $"The value of '{name}' is not valid.", name, "The value is not valid.");
        }

        if (RequiredParameter().Match(message) is { Success: true } required)
        {
            var name = required.Groups["name"].Value;
            return Invalid(e.StatusCode, $"'{name}' is required.", name, "The value is required.");
        }

        // Kestrel's own framing errors ("Bad chunk size data.", "Unexpected end of request content.") name no
        // C# member; anything else from the framework might, so it is not repeated.
        return new ProblemDetails
        {
            Status = e.StatusCode,
            Detail = e.InnerException is null && !message.Contains('"', StringComparison.Ordinal) ? message : "The request could not be read.",
        };
    }

    private static HttpValidationProblemDetails Invalid(int status, string detail, string key, string error) =>
        new(new Dictionary<string, string[]> { [key] = [error] }) { Status = status, Detail = detail };

    // "Required parameter "… …" was not provided from body.", "Failed to read parameter "… …" from the request body as JSON.",
    // "Implicit body inferred for parameter "…" but no body was provided." (a JSON null body)
    [GeneratedRegex("""^(Required parameter "[^"]+" was not provided from body|Failed to read parameter "[^"]+" from the request body|Implicit body inferred for parameter)""")]
    private static partial Regex BodyUnread();

    [GeneratedRegex("""^Failed to bind parameter "\S+ (?<name>[^"\s]+)" from""")]
    private static partial Regex BindFailed();

    [GeneratedRegex("""^Required parameter "\S+ (?<name>[^"\s]+)" was not provided""")]
    private static partial Regex RequiredParameter();
}
