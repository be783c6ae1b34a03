namespace CrmIntegration.Domain.Approvals;

public enum TimelineSource
{
    Callback,
    Sync,
    Simulate,
    Submit,
}
