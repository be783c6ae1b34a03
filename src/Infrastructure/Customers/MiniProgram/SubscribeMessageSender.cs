using System.Text.Json.Nodes;
using CrmIntegration.Application.Customers.NotifyEmployee;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>The direct channel: POST cgi-bin/message/subscribe/send, one request per recipient.</summary>
internal sealed class SubscribeMessageSender(
    IHttpClientFactory http,
    StableTokenProvider tokens,
    IOptions<MiniProgramOptions> options,
    ILogger<SubscribeMessageSender> logger) : MiniProgramSender(http, tokens, logger), IEmployeeNotificationSender
{
    public async Task<IReadOnlyList<SendResult>> SendAsync(IReadOnlyList<OutgoingNotification> notifications, CancellationToken cancellationToken)
    {
        var results = new List<SendResult>(notifications.Count);
        foreach (var n in notifications)
        {
            var answer = await PostWithTokenAsync(token => $"cgi-bin/message/subscribe/send?access_token={token}", Body(n, options.Value), cancellationToken);
            results.Add(answer.Body is null
                ? SendResult.Transport(n.Id, answer.TransportError!)
                : WeChatErrorCodes.Result(n.Id, answer.ErrorCode ?? WeChatErrorCodes.Ok, WeChatApiCodes.MsgIdOf(answer.Body),
                    answer.ErrorCode is null or WeChatErrorCodes.Ok ? null : answer.ErrMsg));
        }

        return results;
    }

    internal static string Body(OutgoingNotification n, MiniProgramOptions o)
    {
        var data = new JsonObject();
        foreach (var (key, value) in n.Data)
        {
            data[key] = new JsonObject { ["value"] = SubscribeMessageValues.Fit(key, value) };
        }

        return new JsonObject
        {
            ["touser"] = n.OpenId,
            ["template_id"] = o.TemplateId,
            ["page"] = n.Page,
            ["miniprogram_state"] = o.MiniProgramState,
            ["lang"] = o.Lang,
            ["data"] = data,
        }.ToJsonString();
    }
}
