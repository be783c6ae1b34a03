using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Approvals;
using CrmIntegration.Application.Approvals.QuoteEvents;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Behaviours;
using CrmIntegration.Application.Common.Mapping;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Application.Customers;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Application.Customers.NotifyEmployee;
using FluentValidation;
using MapsterMapper;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = typeof(DependencyInjection).Assembly;

        // MediatR 5.1.0 wired by hand (ADR-3). Behaviour order = pipeline order.
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(UnhandledExceptionBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        foreach (var (contract, implementation) in HandlerScan.In(assembly))
        {
            services.AddTransient(contract, implementation);
        }

        foreach (var validator in AssemblyScanner.FindValidatorsInAssembly(assembly, includeInternalTypes: true))
        {
            services.AddTransient(validator.InterfaceType, validator.ValidatorType);
        }

        services.AddTransient<BulkAssignment>();
        services.AddTransient<Approvals.HandleApprovalCallback.ApprovalEventApplier>();
        services.AddScoped<Approvals.HandleApprovalCallback.ApprovalLookup>(); // a batch's reads, shared by its events
        services.AddTransient<Approvals.ReconcileSubmissions.FormAdopter>();
        services.AddTransient<Approvals.WeComApi.WeComCallBudget>();
        services.AddScoped<Approvals.SyncPendingApprovals.ApprovalSyncSchedule>();
        services.AddTransient<Approvals.ScanApprovalLists.ApprovalListPager>();
        services.AddTransient<Approvals.ScanApprovalLists.PendingListScan>();
        services.AddTransient<Approvals.ScanApprovalLists.RevokeListScan>();
        services.AddTransient<Approvals.SubmitQuoteForApproval.SubmissionRecorder>();
        services.AddSingleton<Customers.DeliverEmployeeNotification.NotificationComposer>();
        services.AddScoped<QuoteEventStream>();
        services.AddSingleton<IntegrationCheckRunner>();
        services.AddOptions<IntegrationCheckOptions>().BindConfiguration(IntegrationCheckOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<CrmMetrics>();

        var mapping = MappingConfig.Create();
        mapping.Compile();
        services.AddSingleton(mapping);
        services.AddSingleton<IMapper>(new Mapper(mapping));

        services.AddOptions<QuotesOptions>().BindConfiguration(QuotesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WeComOptions>().BindConfiguration(WeComOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WeComOptions>, WeComOptionsValidator>();
        services.AddOptions<MiniProgramOptions>().BindConfiguration(MiniProgramOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MiniProgramOptions>, MiniProgramOptionsValidator>();
        services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CustomersOptions>().BindConfiguration(CustomersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
