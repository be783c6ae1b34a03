using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Approvals.WeCom;

internal static class WeComRegistration
{
    public static IServiceCollection AddWeComCallbacks(this IServiceCollection services)
    {
        services.AddSingleton<IWeComMessageReader, WeComMessageReader>();

        // Group commit: one writer per instance; a hosted service so that shutdown drains (or fails) what is queued.
        services.AddSingleton<InboxBatchWriterOpener>(InboxBatchWriters.ForProviderAsync);
        services.AddSingleton<InboxWriter>();
        services.AddSingleton<IInboxWriter>(sp => sp.GetRequiredService<InboxWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<InboxWriter>());

        // Resolved only once the endpoint has checked WeCom:Token/EncodingAesKey/CorpId are set (else 503).
        services.AddSingleton<IWeComCallbackCrypto>(sp => sp.GetRequiredService<IOptions<WeComOptions>>().Value is { CallbacksConfigured: true } o
            ? new WeComCallbackCrypto(o.Token!, o.EncodingAesKey!, o.CorpId!)
            : throw new FeatureNotConfiguredException("WeCom callbacks need WeCom:CorpId, WeCom:Token and WeCom:EncodingAesKey."));
        return services;
    }
}
