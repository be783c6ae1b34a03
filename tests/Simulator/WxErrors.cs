using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmIntegration.Simulator.State;

namespace CrmIntegration.Simulator;

/// <summary>WeCom and WeChat answer errors with HTTP 200 and {"errcode":…,"errmsg":"…"}.</summary>
internal static class WxErrors
{
    public const int SystemBusy = -1;
    public const int InvalidCredential = 40001;
    public const int InvalidOpenId = 40003;
    public const int InvalidGrantType = 40002;
    public const int InvalidAppId = 40013;
    public const int InvalidToken = 40014;
    public const int InvalidTemplateId = 40037;
    public const int InvalidAppSecret = 40125;
    public const int TokenMissing = 41001;
    public const int TokenExpired = 42001;
    public const int EmptyBody = 44002;
    public const int DataFormatError = 47001;
    public const int ArgumentInvalid = 47003;
    public const int ApprovalParamError = 301025;
    public const int EnvNotFound = -501000;

    public static readonly JsonSerializerOptions Json = new()
    {
        // Chinese form names stay readable in the simulator's answers; they are never rendered as HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Dictionary<int, string> _messages = new()
    {
        [-1] = "system error",
        [40001] = "invalid credential, access_token is invalid or not latest",
        [40003] = "invalid openid",
        [40014] = "invalid access_token",
        [40037] = "invalid template_id",
        [41001] = "access_token missing",
        [42001] = "access_token expired",
        [43101] = "user refuse to accept the msg",
        [45009] = "reach max api daily quota limit",
        [45011] = "api minute-quota reach limit  mustslower  retry next minute",
        [45033] = "api concurrent out of limit",
        [47003] = "argument invalid!",
        [-501001] = "cloud system error",
        [-501004] = "exceed concurrent quota",
        [-504002] = "function execution failed",
    };

    public static string MessageFor(int code) => _messages.TryGetValue(code, out var message) ? message : $"simulated error {code}";

    public static IResult Result(string path, int code, string? message = null) => Ok(Body(path, code, message));

    public static JsonObject Body(string path, int code, string? message = null)
    {
        var text = message ?? MessageFor(code);
        // WeCom appends a hint, WeChat a rid: clients are told to log errmsg verbatim, so both look real.
        text += IsWeChatPath(path) ? $" rid: {RequestId()}" : $", hint: [{RequestId()}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e={code.ToString(CultureInfo.InvariantCulture)}";
        return new JsonObject { ["errcode"] = code, ["errmsg"] = text };
    }

    public static int? CodeFor(TokenCheck check) => check switch
    {
        TokenCheck.Valid => null,
        TokenCheck.Missing => TokenMissing,
        TokenCheck.Unknown => InvalidToken,
        TokenCheck.Expired => TokenExpired,
        TokenCheck.Superseded => InvalidCredential,
        _ => InvalidToken,
    };

    public static IResult Ok(JsonObject body) =>
        Results.Text(body.ToJsonString(Json), "application/json", System.Text.Encoding.UTF8);

    public static JsonObject Success() => new() { ["errcode"] = 0, ["errmsg"] = "ok" };

    public static bool IsWeChatPath(string path) =>
        path.StartsWith("/tcb/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/cgi-bin/stable_token", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/cgi-bin/message/", StringComparison.OrdinalIgnoreCase);

    private static string RequestId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
