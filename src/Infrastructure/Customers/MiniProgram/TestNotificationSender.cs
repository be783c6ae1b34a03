using CrmIntegration.Application.Customers.DeliverEmployeeNotification;
using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Customers.NotifyEmployee;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>One test message through the configured channel's sender (the one the dispatcher uses), not through the outbox (ADR-21).</summary>
internal sealed class TestNotificationSender(IEmployeeNotificationSender sender, NotificationComposer composer, TimeProvider clock) : ITestNotificationSender
{
    public async Task<SendResult> SendAsync(string openId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var results = await sender.SendAsync([composer.ComposeTest(Guid.CreateVersion7(now), openId, now)], cancellationToken);
        return results.Single();
    }
}
