using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Approvals;

/// <summary>
/// A decrypted WeCom callback, stored before WeCom gets its 200 so an acknowledged event is never lost. How it ends
/// (processed, ignored, failed with its reason, or received again for a retry with backoff) is decided here.
/// Which processor holds it meanwhile (its lease) is the work queue's business, not the message's.
/// </summary>
public sealed class InboxMessage : Entity
{
    public const int EventKeyMaxLength = 128;
    public const int ErrorMaxLength = 1000;
    public const int OutcomeMaxLength = 64;

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

    public string? Outcome { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? ProcessedAt { get; private set; }

    /// <summary>Optimistic concurrency token: every change (claim, outcome, retry) replaces it.</summary>
    public Guid Version { get; private set; }

    public static InboxMessage Receive(string eventKey, string? msgType, string? eventName, string payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        EventKey = eventKey,
        MsgType = Text.Cut(msgType, 64),
        EventName = Text.Cut(eventName, 64),
        Payload = payload,
        ReceivedAt = now,
        Status = InboxStatus.Received,
        NextAttemptAt = now,
        Version = Guid.NewGuid(),
    };

    /// <summary>The event was applied (or recorded as a duplicate/stale/unmatched event): <paramref name="outcome"/> says which.</summary>
    public void RecordProcessed(string outcome, DateTimeOffset now) => Settle(InboxStatus.Processed, outcome, null, now);

    /// <summary>Not an event this service acts on (another message type, or values no quote of ours can carry).</summary>
    public void RecordIgnored(string? reason, DateTimeOffset now) => Settle(InboxStatus.Ignored, "ignored", reason, now);

    /// <summary>The message itself is unusable: retrying cannot help.</summary>
    public void RecordRefused(string error, DateTimeOffset now) => Settle(InboxStatus.Failed, null, error, now);

    /// <summary>A fault while processing: received again after the policy's backoff, or failed once its attempts are used up.</summary>
    /// <returns>True when the message gave up (failed), false when it will be tried again.</returns>
    public bool RecordFailure(string error, DateTimeOffset now, RetryPolicy policy, double jitter)
    {
        Attempts++;
        LastError = Text.Cut(error, ErrorMaxLength);
        Version = Guid.NewGuid();
        if (policy.NextAttemptAt(Attempts, now, jitter) is { } next)
        {
            NextAttemptAt = next;
            return false;
        }

        Status = InboxStatus.Failed;
        ProcessedAt = now;
        return true;
    }

    /// <summary>An operator's retry of a failed message: received again, due now, with fresh attempts.</summary>
    /// <returns>False when the message is not failed (nothing changes).</returns>
    public bool Requeue(DateTimeOffset now)
    {
        if (Status != InboxStatus.Failed)
        {
            return false;
        }

        Status = InboxStatus.Received;
        Attempts = 0;
        NextAttemptAt = now;
        ProcessedAt = null;
        Version = Guid.NewGuid();
        return true;
    }

    private void Settle(InboxStatus status, string? outcome, string? error, DateTimeOffset now)
    {
        Attempts++;
        Status = status;
        Outcome = Text.Cut(outcome, OutcomeMaxLength);
        LastError = Text.Cut(error, ErrorMaxLength);
        ProcessedAt = now;
        Version = Guid.NewGuid();
    }
}
