using CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Application.Customers.DeliverEmployeeNotification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Work;

/// <summary>The queues, their use cases and their cadence: the whole background half of the service in one place.</summary>
internal static class WorkRegistration
{
    public static readonly TimeSpan InboxPollInterval = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddWorkQueues(this IServiceCollection services)
    {
        services.AddSingleton<WorkSignals>();
        services.AddSingleton<IWorkSignals>(sp => sp.GetRequiredService<WorkSignals>());
        services.AddScoped(typeof(IWorkQueue<>), typeof(WorkQueue<>));

        services.AddWorker(new QueueDefinition(
            WorkKind.ApprovalCallbacks,
            Enabled: _ => true,
            Interval: _ => InboxPollInterval,
            RunAtStart: true,
            Drain: async (m, ct) => await m.Send(new ProcessApprovalCallbacksCommand(), ct) > 0));

        // Off until the mini-program is configured: notifications stay pending meanwhile (FeatureReport says so).
        services.AddWorker(new QueueDefinition(
            WorkKind.EmployeeNotifications,
            Enabled: sp => sp.GetRequiredService<IOptions<MiniProgramOptions>>().Value.Configured,
            Interval: sp => sp.GetRequiredService<IOptions<NotificationsOptions>>().Value.PollInterval,
            RunAtStart: true,
            Drain: async (m, ct) => await m.Send(new DeliverEmployeeNotificationCommand(), ct) > 0));

        // The seed's compensation daemon: one run every WeCom:Sync:Interval (2 minutes by default), the first after one
        // interval. A run that meets 45009/45033 stops there; the rest waits a whole interval (ADR-9).
        services.AddWorker(new QueueDefinition(
            WorkKind.ApprovalSync,
            Enabled: sp => sp.GetRequiredService<IOptions<WeComOptions>>().Value.ApiConfigured,
            Interval: sp => sp.GetRequiredService<IOptions<WeComOptions>>().Value.Sync.Interval,
            RunAtStart: false,
            Drain: async (m, ct) =>
            {
                await m.Send(new SyncPendingApprovalsCommand(), ct);
                return false;
            }));
        return services;
    }

    private static void AddWorker(this IServiceCollection services, QueueDefinition queue) =>
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new QueueWorker(
            queue, sp, sp.GetRequiredService<WorkSignals>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<QueueWorker>>()));
}
