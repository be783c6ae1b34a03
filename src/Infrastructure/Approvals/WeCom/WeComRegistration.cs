using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using CrmIntegration.Infrastructure.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Approvals.WeCom;

internal static class WeComRegistration
{
    public static IServiceCollection AddWeComCallbacks(this IServiceCollection services)
    {
        services.AddKeyedSingleton<WorkSignal>(WeComInboxWorker.SignalKey);
        services.AddSingleton<IWeComCallbackIngress, WeComCallbackIngress>();
        services.AddSingleton<WeComInboxProcessor>();
        services.AddScoped<IWeComInbox, WeComInbox>();
        services.AddHostedService<WeComInboxWorker>();
        return services;
    }
}
