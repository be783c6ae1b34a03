using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Api;

internal static class WeComApiRegistration
{
    public static IServiceCollection AddWeComApi(this IServiceCollection services)
    {
        services.AddSingleton<WeComTokenCache>();
        services.AddScoped<WeComApiClient>(); // also for the integration check (gettoken, gettemplatedetail)
        services.AddScoped<IWeComApi>(sp => sp.GetRequiredService<WeComApiClient>());
        services.AddScoped<IWeComCallCounter, Budget.WeComCallCounter>(); // the call budget all instances share
        // No default HttpClient loggers: URLs carry access_token and, for gettoken, corpsecret.
        services.AddHttpClient(WeComApiClient.ReadClient, ConfigureBase).RemoveAllLoggers()
            .AddResilienceHandler("wecom-read", b => Build(b, retries: 2));
        services.AddHttpClient(WeComApiClient.WriteClient, ConfigureBase).RemoveAllLoggers()
            .AddResilienceHandler("wecom-write", b => Build(b, retries: 0));
        return services;
    }

    private static void ConfigureBase(IServiceProvider services, HttpClient client)
    {
        var options = services.GetRequiredService<IOptions<WeComOptions>>().Value;
        client.BaseAddress = new Uri(options.ApiBaseUrl.TrimEnd('/') + "/");
        client.Timeout = options.HttpTimeout; // wall clock, whatever TimeProvider the app runs on
    }

    // POSTs that create something are never retried here (ADR-10, ADR-22).
    private static void Build(ResiliencePipelineBuilder<HttpResponseMessage> builder, int retries)
    {
        if (retries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(300),
            });
        }

        builder.AddTimeout(TimeSpan.FromSeconds(10));
    }
}
