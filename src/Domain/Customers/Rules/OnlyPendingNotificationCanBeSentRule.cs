using CrmIntegration.Domain.Common;

namespace CrmIntegration.Domain.Customers.Rules;

/// <summary>Only a pending notification is sent: one that ended (sent, failed, dead, …) waits for an admin's retry.</summary>
public sealed record OnlyPendingNotificationCanBeSentRule(NotificationStatus Current) : IBusinessRule
{
    public bool IsBroken() => Current != NotificationStatus.Pending;

    public string Message => $"Only a pending notification is sent; this one is {Current}.";
}
