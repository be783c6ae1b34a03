using CrmIntegration.Application.Common.Models;

namespace CrmIntegration.Application.Approvals.Callbacks;

/// <summary>The stored callbacks, for operators: what was received, how it ended, and a retry for failed ones.</summary>
public interface IWeComInbox
{
    Task<PagedResult<InboxMessageDto>> ListAsync(string? status, int page, int pageSize, CancellationToken ct);

    /// <summary>Queues a failed message again; false when it is not failed (404/409 are the caller's to tell apart).</summary>
    Task<InboxRetry> RetryAsync(Guid id, CancellationToken ct);
}

public enum InboxRetry
{
    Queued,
    NotFound,
    NotFailed,
}

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
