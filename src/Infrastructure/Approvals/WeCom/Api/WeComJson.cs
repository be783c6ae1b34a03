using System.Globalization;
using System.Text.Json;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Api;

/// <summary>Tolerant reads: WeCom sends numbers as strings, "" for 0, and one-or-many where docs say arrays.</summary>
internal static class WeComJson
{
    public static long Long(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && TryGet(parent, name, out var value) ? Long(value) : 0;

    public static long Long(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.Number => (long)value.GetDouble(),
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => 0,
    };

    public static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && TryGet(parent, name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    public static JsonElement Child(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && TryGet(parent, name, out var value) ? value : default;

    /// <summary>The items of an array; a lone object counts as one item.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray(),
        JsonValueKind.Object => [value],
        _ => [],
    };

    /// <summary>Exact name first, then case-insensitive (getopenapprovaldata spells keys its own way).</summary>
    private static bool TryGet(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in parent.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }
}
