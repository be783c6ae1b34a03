using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.RetryInboxMessage;

/// <summary>An admin queues a failed callback again (received, due now, fresh attempts). 404 unknown; 409 when not failed.</summary>
public sealed record RetryInboxMessageCommand(Guid MessageId) : IRequest;

/// <summary>An admin queues every failed callback again; answers how many.</summary>
public sealed record RetryFailedInboxMessagesCommand : IRequest<int>;

internal sealed class RetryInboxMessageCommandHandler(IAppDbContext db, IWorkSignals signals, TimeProvider clock)
    : IRequestHandler<RetryInboxMessageCommand>, IRequestHandler<RetryFailedInboxMessagesCommand, int>
{
    public async Task<Unit> Handle(RetryInboxMessageCommand command, CancellationToken cancellationToken)
    {
        var message = await db.Inbox.SingleOrDefaultAsync(m => m.Id == command.MessageId, cancellationToken)
                      ?? throw new NotFoundException("Inbox message", command.MessageId);
        if (!message.Requeue(clock.GetUtcNow()))
        {
            throw new ConflictException("Only a failed message can be retried.");
        }

        await SaveAsync(cancellationToken);
        return Unit.Value;
    }

    public async Task<int> Handle(RetryFailedInboxMessagesCommand command, CancellationToken cancellationToken)
    {
        var failed = await db.Inbox.Where(m => m.Status == InboxStatus.Failed).OrderBy(m => m.ReceivedAt).Take(1000).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        failed.ForEach(m => m.Requeue(now));
        await SaveAsync(cancellationToken);
        return failed.Count;
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new ConflictException("The message changed meanwhile (retried by another request); read it again.", e);
        }

        signals.Notify(WorkKind.ApprovalCallbacks);
    }
}
