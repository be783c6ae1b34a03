using System.Globalization;
using System.Text.Json.Nodes;
using CrmIntegration.Simulator.WeCom;

namespace CrmIntegration.Simulator.WeChat;

/// <summary>api.weixin.qq.com, as docs/wechat-miniprogram.md §1, §2 and §4 describe it.</summary>
internal static class WeChatApi
{
    public const string CloudFunctionChannel = "cloudfunction";
    public const string SubscribeSendChannel = "subscribe_send";

    public static IEndpointRouteBuilder MapWeChatApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cgi-bin/stable_token", StableToken);
        app.MapPost("/tcb/invokecloudfunction", InvokeCloudFunction);
        app.MapPost("/cgi-bin/message/subscribe/send", SubscribeSend);
        return app;
    }

    private static async Task<IResult> StableToken(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        var body = await WxJson.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return WxErrors.Result(path, WxErrors.DataFormatError, "data format error");
        }

        var settings = state.Settings.MiniProgram;
        if (!string.Equals(WxJson.String(body["grant_type"]), "client_credential", StringComparison.Ordinal))
        {
            return WxErrors.Result(path, WxErrors.InvalidGrantType, "invalid grant_type");
        }

        if (!string.Equals(WxJson.String(body["appid"]), settings.AppId, StringComparison.Ordinal))
        {
            return WxErrors.Result(path, WxErrors.InvalidAppId, "invalid appid");
        }

        if (!string.Equals(WxJson.String(body["secret"]), settings.AppSecret, StringComparison.Ordinal))
        {
            return WxErrors.Result(path, WxErrors.InvalidAppSecret, "invalid appsecret");
        }

        var force = body["force_refresh"] is JsonValue f && f.TryGetValue<bool>(out var b) && b;
        var (token, expiresIn) = state.MiniProgramTokens.Issue(force);
        // Like WeChat: no errcode on success, just the token and its remaining life.
        return WxErrors.Ok(new JsonObject { ["access_token"] = token, ["expires_in"] = expiresIn });
    }

    private static async Task<IResult> InvokeCloudFunction(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        if (WeComApi.CheckToken(context, state, miniProgram: true) is { } denied)
        {
            return denied;
        }

        var env = context.Request.Query["env"].ToString();
        var name = context.Request.Query["name"].ToString();
        var expectedEnv = state.Settings.MiniProgram.CloudEnv;
        if (string.IsNullOrEmpty(env) || string.IsNullOrEmpty(name))
        {
            return WxErrors.Result(path, 40101, "missing parameter env or name");
        }

        if (expectedEnv.Length > 0 && !string.Equals(env, expectedEnv, StringComparison.Ordinal))
        {
            return WxErrors.Result(path, WxErrors.EnvNotFound, "env not found");
        }

        var text = await WxJson.ReadTextAsync(context.Request, context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return WxErrors.Result(path, WxErrors.EmptyBody, "empty post data");
        }

        JsonObject? evt;
        try
        {
            evt = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            evt = null;
        }

        if (evt is null)
        {
            return WxErrors.Result(path, -501007, "invalid parameters: the event must be a JSON object");
        }

        if (WxJson.String(evt["action"]) is { } action && action != "sendSubscribeMessages" && evt["recipients"] is null)
        {
            // The sample function's dry run, and what it answers to any other action (a version without ping included).
            var version = state.Settings.MiniProgram.CloudFunctionVersion;
            var played = action == "ping" && version.Length > 0
                ? new JsonObject { ["ok"] = true, ["action"] = "ping", ["version"] = version }
                : new JsonObject { ["ok"] = false, ["error"] = "expected action sendSubscribeMessages with recipients", ["results"] = new JsonArray() };
            var reply = WxErrors.Success();
            reply["resp_data"] = played.ToJsonString(WxErrors.Json);
            return WxErrors.Ok(reply);
        }

        var recipients = evt["recipients"] is JsonArray list
            ? list.OfType<JsonObject>().ToList()
            : WxJson.String(evt["openid"]) is { } single ? [new JsonObject { ["openid"] = single }] : [];
        var templateId = WxJson.String(evt["templateId"] ?? evt["template_id"]);
        var page = WxJson.String(evt["page"]);

        // What the sample function returns: per-recipient results; CloudSDKError messages for failures (§3).
        var results = new JsonArray();
        foreach (var recipient in recipients)
        {
            var openId = WxJson.String(recipient["openid"]) ?? "";
            var error = openId.Length == 0 ? WxErrors.InvalidOpenId : state.TakeScriptedError(openId);
            if (error is { } code)
            {
                results.Add(new JsonObject
                {
                    ["openid"] = openId,
                    ["errCode"] = code,
                    ["errMsg"] = $"openapi.subscribeMessage.send:fail {WxErrors.MessageFor(code)} rid: {Guid.NewGuid():N}",
                });
                continue;
            }

            var msgId = state.RecordMessage(CloudFunctionChannel, openId, templateId, page, evt["data"] ?? recipient);
            results.Add(new JsonObject { ["openid"] = openId, ["errCode"] = 0, ["msgid"] = msgId });
        }

        var answer = WxErrors.Success();
        answer["resp_data"] = new JsonObject { ["ok"] = true, ["results"] = results }.ToJsonString(WxErrors.Json);
        return WxErrors.Ok(answer);
    }

    private static async Task<IResult> SubscribeSend(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        if (WeComApi.CheckToken(context, state, miniProgram: true) is { } denied)
        {
            return denied;
        }

        var body = await WxJson.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return WxErrors.Result(path, WxErrors.DataFormatError, "data format error");
        }

        var touser = WxJson.String(body["touser"]);
        if (string.IsNullOrWhiteSpace(touser))
        {
            return WxErrors.Result(path, WxErrors.InvalidOpenId);
        }

        var templateId = WxJson.String(body["template_id"]);
        var templates = state.Settings.MiniProgram.TemplateIds;
        if (string.IsNullOrWhiteSpace(templateId) || (templates.Count > 0 && !templates.Contains(templateId, StringComparer.Ordinal)))
        {
            return WxErrors.Result(path, WxErrors.InvalidTemplateId);
        }

        if (body["data"] is not JsonObject data || data.Count == 0)
        {
            return WxErrors.Result(path, WxErrors.ArgumentInvalid, "argument invalid! data is empty");
        }

        if (InvalidDataKey(data) is { } key)
        {
            return WxErrors.Result(path, WxErrors.ArgumentInvalid, $"argument invalid! data.{key}.value invalid");
        }

        if (state.TakeScriptedError(touser) is { } code)
        {
            return WxErrors.Result(path, code);
        }

        var msgId = state.RecordMessage(SubscribeSendChannel, touser, templateId, WxJson.String(body["page"]), data);
        var answer = WxErrors.Success();
        answer["msgid"] = long.Parse(msgId, CultureInfo.InvariantCulture);
        return WxErrors.Ok(answer);
    }

    /// <summary>The first data key whose value breaks its type's length limit (§4 table), or null.</summary>
    private static string? InvalidDataKey(JsonObject data)
    {
        foreach (var (key, node) in data)
        {
            var value = WxJson.String(node?["value"]);
            if (value is null || value.Contains('\n', StringComparison.Ordinal))
            {
                return key;
            }

            var length = value.EnumerateRunes().Count();
            var limit = key.TrimEnd("0123456789".ToCharArray()) switch
            {
                "thing" => 20,
                "number" or "letter" or "character_string" => 32,
                "symbol" or "phrase" => 5,
                "phone_number" => 17,
                "car_number" => 8,
                "name" => 20,
                "amount" => 12,
                _ => int.MaxValue,
            };
            if (length > limit)
            {
                return key;
            }
        }

        return null;
    }
}
