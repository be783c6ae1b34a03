using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Infrastructure.Customers.MiniProgram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace CrmIntegration.Infrastructure.Customers;

internal static class CustomersRegistration
{
    public static IServiceCollection AddCustomerNotifications(this IServiceCollection services)
    {
        services.AddSingleton<StableTokenProvider>();
        services.AddSingleton<CloudFunctionSender>();
        services.AddSingleton<SubscribeMessageSender>();
        services.AddSingleton<IEmployeeNotificationSender>(sp =>
            sp.GetRequiredService<IOptions<NotificationsOptions>>().Value.Channel == NotificationChannel.SubscribeMessage
                ? sp.GetRequiredService<SubscribeMessageSender>()
                : sp.GetRequiredService<CloudFunctionSender>());

        services.AddHttpClient(MiniProgramHttp.ClientName, (sp, client) =>
            {
                var baseUrl = sp.GetRequiredService<IOptions<MiniProgramOptions>>().Value.ApiBaseUrl;
                client.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
                var timeout = sp.GetRequiredService<IOptions<NotificationsOptions>>().Value.RequestTimeout;
                client.Timeout = timeout * 2; // a backstop: the resilience handler's timeout comes first
            })
            .RemoveAllLoggers() // the default handlers log request URIs, and the query carries access_token
            .AddStandardResilienceHandler()
            .Configure((o, sp) =>
            {
                var timeout = sp.GetRequiredService<IOptions<NotificationsOptions>>().Value.RequestTimeout;
                o.AttemptTimeout.Timeout = timeout;
                o.TotalRequestTimeout.Timeout = timeout;
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * timeout.TotalSeconds));

                // Every WeChat call here is a POST, and a repeated send burns a credit: the dispatcher owns
                // retries (ADR-22). Only safe methods would be retried at this layer.
                o.Retry.ShouldHandle = args => ValueTask.FromResult(
                    args.Context.GetRequestMessage()?.Method is { } method
                    && (method == HttpMethod.Get || method == HttpMethod.Head)
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome));
            });
        return services;
    }
}
