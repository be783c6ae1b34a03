namespace CrmIntegration.Domain.Approvals;

public enum TimelineOutcome
{
    /// <summary>The event moved the approval (and its quote) to a new status.</summary>
    Applied,

    /// <summary>The approval already had that status (redelivery, sync confirming a callback).</summary>
    Unchanged,

    /// <summary>Late or out-of-order: a rule refused the move; nothing changed.</summary>
    Stale,

    /// <summary>No quote or approval of ours matches (other templates in the corp call us too).</summary>
    Unmatched,
}
