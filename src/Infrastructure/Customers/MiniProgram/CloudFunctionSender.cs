using System.Text.Json;
using System.Text.Json.Nodes;
using CrmIntegration.Application.Customers.NotifyEmployee;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>
/// POST tcb/invokecloudfunction?access_token=…&amp;env=…&amp;name=… with the event JSON as the body. The function
/// (samples/cloudfunctions/quickstartFunctions) has no user context, so each recipient's openid travels in
/// the event; it answers per recipient in <c>resp_data</c>, a JSON string parsed a second time.
/// </summary>
internal sealed class CloudFunctionSender(
    IHttpClientFactory http,
    StableTokenProvider tokens,
    IOptions<MiniProgramOptions> options,
    ILogger<CloudFunctionSender> logger) : MiniProgramSender(http, tokens, logger), IEmployeeNotificationSender
{
    public async Task<IReadOnlyList<SendResult>> SendAsync(IReadOnlyList<OutgoingNotification> notifications, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var json = EventJson(notifications, o);
        var env = Uri.EscapeDataString(o.CloudEnv ?? "");
        var name = Uri.EscapeDataString(o.CloudFunctionName);
        var answer = await PostWithTokenAsync(token => $"tcb/invokecloudfunction?access_token={token}&env={env}&name={name}", json, cancellationToken);
        if (answer.Body is null)
        {
            return [.. notifications.Select(n => SendResult.Transport(n.Id, answer.TransportError!))];
        }

        if (answer.ErrorCode is { } code && code != WeChatErrorCodes.Ok)
        {
            logger.LogWarning("Cloud function invoke failed: errcode {ErrCode} {ErrMsg}", code, answer.ErrMsg);
            return [.. notifications.Select(n => WeChatErrorCodes.Result(n.Id, code, null, $"invokecloudfunction: {answer.ErrMsg}"))];
        }

        var (byId, byOpenId) = ParseResults(answer.Body["resp_data"]?.ToString());
        return [.. notifications.Select(n =>
            byId.TryGetValue(n.Id.ToString(), out var r)
            || (byOpenId.TryGetValue(n.OpenId, out var queue) && queue.TryDequeue(out r))
                ? WeChatErrorCodes.Result(n.Id, r.Code, r.MsgId, r.Code == WeChatErrorCodes.Ok ? null : r.Error)
                : SendResult.Unconfirmed(n.Id, "The cloud function ran but returned no result for this recipient; it may have been sent."))];
    }

    /// <summary>The event the function receives: the template and each recipient's openid, page and values.</summary>
    internal static string EventJson(IReadOnlyList<OutgoingNotification> notifications, MiniProgramOptions o)
    {
        var recipients = new JsonArray();
        foreach (var n in notifications)
        {
            var data = new JsonObject();
            foreach (var (key, value) in n.Data)
            {
                data[key] = new JsonObject { ["value"] = SubscribeMessageValues.Fit(key, value) };
            }

            recipients.Add(new JsonObject { ["id"] = n.Id.ToString(), ["openid"] = n.OpenId, ["page"] = n.Page, ["data"] = data });
        }

        return new JsonObject
        {
            ["action"] = "sendSubscribeMessages",
            ["templateId"] = o.TemplateId,
            ["miniprogramState"] = o.MiniProgramState,
            ["lang"] = o.Lang,
            ["recipients"] = recipients,
        }.ToJsonString();
    }

    /// <summary>
    /// Results by notification id (our sample function echoes it); a function that answers per openid only, as the
    /// protocol doc's does, is matched by openid in order.
    /// </summary>
    private static (Dictionary<string, Result> ById, Dictionary<string, Queue<Result>> ByOpenId) ParseResults(string? respData)
    {
        var byId = new Dictionary<string, Result>();
        var byOpenId = new Dictionary<string, Queue<Result>>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(respData))
        {
            return (byId, byOpenId);
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(respData);
        }
        catch (JsonException)
        {
            return (byId, byOpenId); // every recipient then reads "no result": unconfirmed, never resent on its own
        }

        if (parsed?["results"] is not JsonArray results)
        {
            return (byId, byOpenId);
        }

        foreach (var item in results.OfType<JsonObject>())
        {
            var result = new Result(WeChatApiCodes.ErrorCodeOf(item, "errCode"), WeChatApiCodes.MsgIdOf(item), item["errMsg"]?.ToString());
            if (item["id"]?.ToString() is { Length: > 0 } id)
            {
                byId[id] = result;
            }
            else if (item["openid"]?.ToString() is { Length: > 0 } openId)
            {
                (byOpenId.TryGetValue(openId, out var queue) ? queue : byOpenId[openId] = new Queue<Result>()).Enqueue(result);
            }
        }

        return (byId, byOpenId);
    }

    private readonly record struct Result(int? Code, string? MsgId, string? Error);
}
