using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals.HandleApprovalCallback;

/// <summary>What an event did; <see cref="Duplicate"/> when its key was recorded before (nothing changed).</summary>
public sealed record ApprovalEventResult(TimelineOutcome? Outcome, string? Rule, Guid? QuoteId, bool Duplicate)
{
    public static readonly ApprovalEventResult AlreadyRecorded = new(null, null, null, Duplicate: true);
}
