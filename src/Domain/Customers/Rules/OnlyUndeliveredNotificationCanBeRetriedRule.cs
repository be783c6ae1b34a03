using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Customers.Rules;

/// <summary>
/// A sent notification is not sent again (it would burn a credit), and a pending one is already queued. An unconfirmed
/// one may be retried: an admin who checked with the employee decides.
/// </summary>
public sealed record OnlyUndeliveredNotificationCanBeRetriedRule(NotificationStatus Current) : IBusinessRule
{
    public bool IsBroken() => Current is NotificationStatus.Sent or NotificationStatus.Pending;

    public string Message => $"Only a notification that was not delivered can be retried; this one is {Current}.";
}
