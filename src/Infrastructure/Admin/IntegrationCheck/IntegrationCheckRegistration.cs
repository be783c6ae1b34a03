using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Infrastructure.Customers.MiniProgram;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure.Admin.IntegrationCheck;

internal static class IntegrationCheckRegistration
{
    /// <summary>The checks in the order they run (and answer): the seed system's manual checklist.</summary>
    public static IServiceCollection AddIntegrationCheck(this IServiceCollection services)
    {
        services.AddScoped<IIntegrationCheck, WeComSettingsCheck>();
        services.AddScoped<IIntegrationCheck, WeComTokenCheck>();
        services.AddScoped<IIntegrationCheck, WeComTemplateCheck>();
        services.AddScoped<IIntegrationCheck, WeComCallbackCheck>();
        services.AddScoped<IIntegrationCheck, StableTokenCheck>();
        services.AddScoped<IIntegrationCheck, CloudFunctionPingCheck>();
        services.AddSingleton<CloudFunctionPing>();
        services.AddSingleton<ITestNotificationSender, TestNotificationSender>();
        return services;
    }
}
