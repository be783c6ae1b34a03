using CrmIntegration.Domain.Approvals;
using MediatR;

namespace CrmIntegration.Application.Approvals.HandleApprovalCallback;

/// <summary>
/// Applies one approval status event (callback, sync or simulation) and records it once in the timeline. Stored
/// callbacks are applied in batches by ProcessApprovalCallbacks, through the same <see cref="ApprovalEventApplier"/>.
/// </summary>
public sealed record HandleApprovalCallbackCommand(ApprovalEvent Event, TimelineSource Source) : IRequest<ApprovalEventResult>;

internal sealed class HandleApprovalCallbackCommandHandler(ApprovalEventApplier applier)
    : IRequestHandler<HandleApprovalCallbackCommand, ApprovalEventResult>
{
    public Task<ApprovalEventResult> Handle(HandleApprovalCallbackCommand command, CancellationToken cancellationToken) =>
        applier.ApplyAsync(command.Event, command.Source, cancellationToken);
}
