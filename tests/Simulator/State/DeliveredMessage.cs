using System.Text.Json.Nodes;

namespace CrmIntegration.Simulator.State;

/// <summary>
/// A subscription message WeChat accepted. <see cref="Channel"/> is "cloudfunction" or "subscribe_send";
/// for the cloud function <see cref="Data"/> is the event's "data" (or the recipient entry when absent).
/// </summary>
public sealed record DeliveredMessage(
    string Channel,
    string OpenId,
    string? TemplateId,
    string? Page,
    JsonNode? Data,
    string MsgId,
    DateTimeOffset At);
