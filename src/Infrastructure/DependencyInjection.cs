using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using CrmIntegration.Infrastructure.Approvals.WeCom.Api;
using CrmIntegration.Infrastructure.Customers;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDatabase(configuration);
        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddSingleton<IDatabaseErrors, DatabaseErrors>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddSingleton<FeatureReport>();
        services.AddWeComCallbacks();
        services.AddWeComApi();
        services.AddHostedService<ApprovalSyncWorker>();
        services.AddCustomerNotifications();
        return services;
    }
}
