using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals.StoreApprovalCallback;

/// <summary>
/// Stores a received callback in the inbox and returns once the commit that holds it is durable, so the endpoint may
/// answer WeCom <c>success</c>. Concurrent calls share their commits (one writer, one transaction per batch).
/// <see cref="CallbackReceipt.Duplicate"/>: the event key was stored before, or a twin in the same batch was stored by
/// that batch's commit. Throws <see cref="InboxWriteException"/> when the write failed or the service is stopping:
/// then nothing was acknowledged and WeCom delivers again.
/// </summary>
public interface IInboxWriter
{
    Task<CallbackReceipt> StoreAsync(InboxMessage message, CancellationToken cancellationToken);
}

/// <summary>The inbox write failed (the database's error is the inner exception): the callback was not acknowledged.</summary>
public sealed class InboxWriteException(string message, Exception? innerException) : Exception(message, innerException);
