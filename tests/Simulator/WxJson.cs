using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmIntegration.Simulator;

/// <summary>Tolerant reading of request bodies: numbers may arrive as strings and the other way round.</summary>
internal static class WxJson
{
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The body as an object, or null when it is empty or not a JSON object.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        var text = await ReadTextAsync(request, ct);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxBodyBytes];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        return new string(buffer, 0, read);
    }

    public static string? String(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    public static long? Long(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (value.TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < long.MaxValue)
        {
            return (long)real;
        }

        return value.TryGetValue<string>(out var text)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : null;
    }

    public static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(String).OfType<string>(),
        JsonValue => String(node) is { } s ? [s] : [],
        _ => [],
    };
}
