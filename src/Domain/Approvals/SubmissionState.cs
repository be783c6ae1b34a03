namespace CrmIntegration.Domain.Approvals;

/// <summary>Where an approval stands with WeCom itself (applyevent has no idempotency key, docs/wecom.md §5.1).</summary>
public enum SubmissionState
{
    /// <summary>Intent recorded; applyevent called or about to be, its answer not yet known.</summary>
    Requested,

    /// <summary>WeCom holds the form (we know its sp_no, or it reached us through a callback).</summary>
    Submitted,

    /// <summary>WeCom refused the form, or reconciliation found none: nothing exists to approve.</summary>
    Abandoned,
}
