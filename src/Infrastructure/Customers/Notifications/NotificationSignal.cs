using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Infrastructure.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Customers.Notifications;

internal sealed class NotificationSignal([FromKeyedServices(NotificationWorker.SignalKey)] WorkSignal signal) : INotificationSignal
{
    public void Notify() => signal.Notify();
}
