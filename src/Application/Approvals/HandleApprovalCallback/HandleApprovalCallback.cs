using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using MediatR;

namespace CrmIntegration.Application.Approvals.HandleApprovalCallback;

/// <summary>
/// Applies one approval status event (callback, sync or simulation) and records it once in the timeline. For a
/// stored callback (<see cref="Inbox"/>), the inbox message records how it ended in the same commit as the event.
/// </summary>
public sealed record HandleApprovalCallbackCommand(ApprovalEvent Event, TimelineSource Source, InboxLease? Inbox = null)
    : IRequest<ApprovalEventResult>;

/// <summary>The stored callback an event came from, and the processor's lease on it.</summary>
public sealed record InboxLease(Guid MessageId, string Owner);

internal sealed class HandleApprovalCallbackCommandHandler(ApprovalEventApplier applier, IWorkQueue<InboxMessage> inbox, TimeProvider clock)
    : IRequestHandler<HandleApprovalCallbackCommand, ApprovalEventResult>
{
    public Task<ApprovalEventResult> Handle(HandleApprovalCallbackCommand command, CancellationToken cancellationToken) =>
        applier.ApplyAsync(command.Event, command.Source, cancellationToken,
            command.Inbox is { } lease ? (outcome, ct) => RecordOnMessageAsync(lease, outcome, ct) : null);

    private async Task RecordOnMessageAsync(InboxLease lease, TimelineOutcome outcome, CancellationToken ct)
    {
        var message = await inbox.FindLeasedAsync(lease.MessageId, lease.Owner, ct)
                      ?? throw new InvalidOperationException($"The lease on inbox message {lease.MessageId} was lost to another processor.");
        message.RecordProcessed(SnakeCaseEnum.Name(outcome), clock.GetUtcNow());
        inbox.Complete(message);
    }
}
