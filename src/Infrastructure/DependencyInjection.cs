using CrmIntegration.Application.Admin.GetOperationsOverview;
using CrmIntegration.Application.Approvals.QuoteEvents;
using CrmIntegration.Infrastructure.Admin.IntegrationCheck;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Infrastructure.Approvals.Live;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using CrmIntegration.Infrastructure.Approvals.WeCom.Api;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using CrmIntegration.Infrastructure.Work;
using CrmIntegration.Infrastructure.Common;
using CrmIntegration.Infrastructure.Customers;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Telemetry;
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
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<OperationsHealthCheck>("operations", tags: ["status"]);
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FeatureReport>();
        services.AddSingleton<IOperationsProbe, OperationsProbe>();
        services.AddSingleton<QuoteEventFeed>();
        services.AddSingleton<IQuoteEventFeed>(sp => sp.GetRequiredService<QuoteEventFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<QuoteEventFeed>());
        services.AddScoped<IStreamTickets, StreamTickets>();
        services.AddScoped<IInboxStatistics, InboxStatisticsReader>();
        services.AddOptions<LiveUpdatesOptions>().BindConfiguration(LiveUpdatesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BacklogMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<BacklogMetrics>());
        services.AddWeComCallbacks();
        services.AddPartnerCallTelemetry();
        services.AddWeComApi();
        services.AddWorkQueues();
        services.AddCustomerNotifications();
        services.AddIntegrationCheck();
        return services;
    }
}
