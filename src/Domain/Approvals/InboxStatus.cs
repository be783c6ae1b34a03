namespace CrmIntegration.Domain.Approvals;

public enum InboxStatus
{
    /// <summary>Stored and acknowledged; waiting to be processed (or retried).</summary>
    Received,

    Processed,

    /// <summary>Not an event this service acts on (other message types and events): kept, acknowledged, ignored.</summary>
    Ignored,

    /// <summary>Gave up after the last attempt, or refused as invalid; <see cref="InboxMessage.LastError"/> says why.</summary>
    Failed,
}
