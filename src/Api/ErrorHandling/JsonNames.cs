using System.Text.Json;

namespace CrmIntegration.Api.ErrorHandling;

/// <summary>Validation keys as the client wrote them: <c>Items[0].CustomerId</c> becomes <c>items[0].customerId</c>.</summary>
internal static class JsonNames
{
    public static Dictionary<string, string[]> Of(IDictionary<string, string[]> errors)
    {
        var named = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, messages) in errors)
        {
            var name = Of(key);
            named[name] = named.TryGetValue(name, out var earlier) ? [.. earlier, .. messages] : messages;
        }

        return named;
    }

    /// <summary>Each dotted segment camelCased (the API's naming policy); JSON paths (<c>$.…</c>) stay as they are.</summary>
    public static string Of(string key) =>
        key.StartsWith('$') ? key : string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
