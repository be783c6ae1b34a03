namespace CrmIntegration.Domain.Approvals;

public enum QuoteStatus
{
    Draft,
    PendingApproval,
    Approved,
    Rejected,
    Cancelled,
}
