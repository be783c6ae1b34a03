namespace CrmIntegration.Infrastructure.Persistence.Inbox;

/// <summary>A decrypted WeCom callback, stored before WeCom gets its 200 so an acknowledged event is never lost.</summary>
public sealed class InboxMessage
{
    public const int EventKeyMaxLength = 128;
    public const int ErrorMaxLength = 1000;

    private InboxMessage()
    {
    } // EF

    public Guid Id { get; private set; }

    /// <summary>The event key (EventID or a hash of the message): a redelivery is acknowledged, not stored twice.</summary>
    public string EventKey { get; private set; } = "";

    public string? MsgType { get; private set; }

    public string? EventName { get; private set; }

    public string Payload { get; private set; } = "";

    public DateTimeOffset ReceivedAt { get; private set; }

    public InboxStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>A processor's lease: until then no other processor (in any instance) takes the message.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    public string? LockOwner { get; private set; }

    public string? Outcome { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? ProcessedAt { get; private set; }

    public static InboxMessage Receive(string eventKey, string? msgType, string? eventName, string payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        EventKey = eventKey,
        MsgType = Truncate(msgType, 64),
        EventName = Truncate(eventName, 64),
        Payload = payload,
        ReceivedAt = now,
        Status = InboxStatus.Received,
        NextAttemptAt = now,
    };

    internal static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
