namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>How a notification reaches WeChat (Notifications:Channel).</summary>
public enum NotificationChannel
{
    /// <summary>POST tcb/invokecloudfunction; the function calls subscribeMessage.send (no token or IP whitelist there).</summary>
    CloudFunction,

    /// <summary>POST cgi-bin/message/subscribe/send directly.</summary>
    SubscribeMessage,
}
