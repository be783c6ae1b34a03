namespace CrmIntegration.Domain.Customers;

public enum SendOutcome
{
    Sent,

    /// <summary>43101: no credit or refused. Expected; not retried.</summary>
    NotSubscribed,

    /// <summary>The message can never be delivered as it is (bad openid, template, data or page).</summary>
    Failed,

    /// <summary>Worth another try later, with backoff.</summary>
    Transient,

    /// <summary>The function ran and may have sent it: not retried automatically (WeChat has no idempotency key).</summary>
    Unconfirmed,
}
