using System.Text.Json;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.SimulateApproval;

/// <summary>The seed system's test tool: acts as if WeCom reported <see cref="Action"/> for the quote.</summary>
public sealed record SimulateApprovalCommand(string QuoteNumber, string Action) : IRequest<SimulatedApprovalDto>;

public sealed record SimulatedApprovalDto(string QuoteNumber, TimelineOutcome? Outcome, string? Rule, QuoteStatus Status, ApprovalStatus? ApprovalStatus);

internal sealed class SimulateApprovalCommandHandler(IAppDbContext db, IMediator mediator, TimeProvider clock)
    : IRequestHandler<SimulateApprovalCommand, SimulatedApprovalDto>
{
    public async Task<SimulatedApprovalDto> Handle(SimulateApprovalCommand command, CancellationToken cancellationToken)
    {
        if (!await db.Quotes.AnyAsync(q => q.Number == command.QuoteNumber, cancellationToken))
        {
            throw new NotFoundException(nameof(Quote), command.QuoteNumber);
        }

        SnakeCaseEnum.TryParse<ApprovalStatus>(command.Action, out var status); // the validator made sure
        var now = clock.GetUtcNow();
        var approvalEvent = new ApprovalEvent(
            Key: $"simulate:{Guid.CreateVersion7(now):N}",
            EventName: "simulate_approval",
            SpNo: null,
            ThirdNo: command.QuoteNumber,
            Status: WeComApprovalStatus.CodeOf(status),
            StatusChangeEvent: null,
            TemplateId: null,
            OccurredAt: now,
            Payload: JsonSerializer.Serialize(new { quote_number = command.QuoteNumber, action = command.Action }));
        var result = await mediator.Send(new HandleApprovalCallbackCommand(approvalEvent, TimelineSource.Simulate), cancellationToken);

        var quote = await db.Quotes.AsNoTracking().SingleAsync(q => q.Number == command.QuoteNumber, cancellationToken);
        return new SimulatedApprovalDto(quote.Number, result.Outcome, result.Rule, quote.Status, quote.ApprovalStatus);
    }
}
