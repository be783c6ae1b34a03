namespace CrmIntegration.Domain.Customers;

/// <summary>Where an employee notification stands; the API spells them pending, sent, not_subscribed, …</summary>
public enum NotificationStatus
{
    /// <summary>Waiting to be sent, or to be sent again after a transient failure.</summary>
    Pending,

    /// <summary>WeChat accepted it (a msgid came back).</summary>
    Sent,

    /// <summary>43101: the employee has no subscription credit left or refused; not retried.</summary>
    NotSubscribed,

    /// <summary>The employee has no mini-program openid; not retried (an admin may retry once it is set).</summary>
    SkippedNoOpenid,

    /// <summary>WeChat refused it for good (40003, 40037, 47003, 41030, …); not retried.</summary>
    Failed,

    /// <summary>Transient failures until Notifications:MaxAttempts ran out.</summary>
    Dead,

    /// <summary>
    /// The cloud function ran but its answer does not say whether this message went out (no per-recipient result,
    /// -504002, a timeout inside the function): it may have arrived, so it is never resent on its own; an admin may.
    /// </summary>
    Unconfirmed,
}
