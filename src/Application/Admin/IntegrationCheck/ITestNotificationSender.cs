using CrmIntegration.Application.Customers.NotifyEmployee;

namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>
/// Sends one test subscription message to an openid through the configured channel's sender, now, bypassing
/// the outbox (so the admin sees WeChat's answer in the response). Never throws for WeChat's failures.
/// </summary>
public interface ITestNotificationSender
{
    Task<SendResult> SendAsync(string openId, CancellationToken cancellationToken);
}
