namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>
/// The WeChat gateway (Notifications:Channel picks the cloud function or the direct send). Returns one
/// result per notification and never throws for WeChat's or the network's failures: those are results.
/// </summary>
public interface IEmployeeNotificationSender
{
    Task<IReadOnlyList<SendResult>> SendAsync(IReadOnlyList<OutgoingNotification> notifications, CancellationToken cancellationToken);
}
