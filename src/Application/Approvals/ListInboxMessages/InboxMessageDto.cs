namespace CrmIntegration.Application.Approvals.ListInboxMessages;

/// <summary>One stored callback. <see cref="Payload"/> is the decrypted message (no secrets: WeCom's own content).</summary>
public sealed record InboxMessageDto(
    Guid Id,
    string EventKey,
    string? MsgType,
    string? EventName,
    string Status,
    int Attempts,
    string? Outcome,
    string? LastError,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt,
    DateTimeOffset NextAttemptAt,
    string Payload);
