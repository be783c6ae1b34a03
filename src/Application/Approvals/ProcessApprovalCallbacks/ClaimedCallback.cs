using System.Runtime.ExceptionServices;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;

/// <summary>
/// A claimed message, read before the batch's transaction (the batch loads what its events need from them): its
/// approval event, null when it is none, or why it cannot be read, thrown again when the message's turn comes.
/// </summary>
internal sealed record ClaimedCallback(Guid Id, ApprovalEvent? Event, ExceptionDispatchInfo? Unreadable)
{
    public static ClaimedCallback Read(InboxMessage message, IWeComMessageReader reader)
    {
        try
        {
            var approval = reader.Read(message.Payload).Approval;
            return new ClaimedCallback(message.Id, approval is null ? null : approval with { ReceivedAt = message.ReceivedAt }, null);
        }
        catch (Exception e)
        {
            return new ClaimedCallback(message.Id, null, ExceptionDispatchInfo.Capture(e));
        }
    }
}
