namespace CrmIntegration.Domain.Customers;

public enum NotificationKind
{
    /// <summary>One customer, assigned on its own (web or mini-program).</summary>
    Single,

    /// <summary>One message per employee for a batch or public-pool assignment: a count and a few names.</summary>
    Summary,
}
