using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

internal static class WeChatApiCodes
{
    /// <summary>Ours, not WeChat's: the answer could not be read (treated as transient, like -1).</summary>
    public const int BadResponse = -1;

    /// <summary>errcode (or the cloud SDK's errCode) as a number; null when absent.</summary>
    public static int? ErrorCodeOf(JsonObject body, string name = "errcode") => body[name] switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) => (int)l,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    /// <summary>msgid is a 64-bit number from the direct API and a string from our cloud function.</summary>
    public static string? MsgIdOf(JsonObject body) => body["msgid"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };
}
