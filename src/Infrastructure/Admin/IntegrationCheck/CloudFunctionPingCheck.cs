using System.Text.Json;
using System.Text.Json.Nodes;
using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Infrastructure.Customers.MiniProgram;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Admin.IntegrationCheck;

/// <summary>
/// 6. The cloud function answers a dry run: tcb/invokecloudfunction with {"action":"ping"}, which sends nothing,
/// must come back as {ok: true, action: "ping", version}.
/// </summary>
internal sealed class CloudFunctionPingCheck(IOptions<MiniProgramOptions> options, IOptions<NotificationsOptions> notifications, CloudFunctionPing ping)
    : IIntegrationCheck
{
    public const string CheckName = "cloud-function-ping";

    private const string DeployHint =
        "Deploy the current samples/cloudfunctions/quickstartFunctions (1.1.0 or later answers ping) as MiniProgram:CloudFunctionName in MiniProgram:CloudEnv.";

    public string Name => CheckName;

    public string? DependsOn => StableTokenCheck.CheckName;

    public async Task<IntegrationCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Configured)
        {
            return IntegrationCheckResult.Skipped(Name, "The mini-program is not configured.", $"To send notifications, {FeatureReport.MiniProgramOff}.");
        }

        if (notifications.Value.Channel != NotificationChannel.CloudFunction)
        {
            return IntegrationCheckResult.Skipped(Name, "Notifications:Channel is SubscribeMessage: the cloud function is not used.",
                "Nothing to fix; set Notifications:Channel to CloudFunction to send through the function.");
        }

        var function = $"{o.CloudFunctionName} in {o.CloudEnv}";
        var answer = await ping.PingAsync(cancellationToken);
        if (answer.TransportError is { } error)
        {
            return IntegrationCheckResult.Failed(Name, null, $"No answer from invokecloudfunction: {error}", StableTokenCheck.NoAnswerHint(o));
        }

        if (answer.ErrorCode is { } code && code != 0)
        {
            return IntegrationCheckResult.Failed(Name, code, $"invokecloudfunction ({function}) answered {code}: {answer.ErrMsg}", PartnerHints.WeChat(code));
        }

        if (Version(answer.RespData) is { } version)
        {
            return IntegrationCheckResult.Ok(Name, $"{function} answered ping: version {version}.");
        }

        var shown = answer.RespData is { Length: > 200 } text ? text[..200] + "…" : answer.RespData ?? "(no resp_data)";
        return IntegrationCheckResult.Failed(Name, null, $"{function} ran but did not answer ping: {shown}", DeployHint);
    }

    /// <summary>The version when resp_data is {ok: true, action: "ping", version: "…"}; otherwise null.</summary>
    private static string? Version(string? respData)
    {
        if (string.IsNullOrEmpty(respData))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(respData) is JsonObject o
                   && o["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk
                   && o["action"]?.GetValueKind() == JsonValueKind.String && o["action"]!.GetValue<string>() == "ping"
                   && o["version"]?.GetValueKind() == JsonValueKind.String
                ? o["version"]!.GetValue<string>()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
