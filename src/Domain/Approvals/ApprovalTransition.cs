namespace CrmIntegration.Domain.Approvals;

/// <summary>What applying a status did; <see cref="Rule"/> names the rule that refused a stale move.</summary>
public sealed record ApprovalTransition(TimelineOutcome Outcome, string? Rule = null)
{
    public static readonly ApprovalTransition Applied = new(TimelineOutcome.Applied);
    public static readonly ApprovalTransition Unchanged = new(TimelineOutcome.Unchanged);
}
