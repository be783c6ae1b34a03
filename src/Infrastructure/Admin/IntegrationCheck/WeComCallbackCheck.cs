using System.Globalization;
using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Admin.IntegrationCheck;

/// <summary>
/// 4. WeCom:CallbackUrl is set and https (http only on a loopback host), and when the last valid callback arrived:
/// the newest wecom_inbox row (only verified, decrypted callbacks are stored). No partner call.
/// </summary>
internal sealed class WeComCallbackCheck(IOptions<WeComOptions> options, AppDbContext db, TimeProvider clock) : IIntegrationCheck
{
    public const string CheckName = "wecom-callback";

    private const string UrlHint =
        "Set WeCom:CallbackUrl to the URL saved in WeCom's callback settings: https://<public host>/wecom/callback.";

    public string Name => CheckName;

    public string? DependsOn => null;

    public async Task<IntegrationCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.CallbacksConfigured)
        {
            return IntegrationCheckResult.Skipped(Name, "WeCom callbacks are off.", $"To receive approval callbacks, {FeatureReport.WeComCallbacksOff}.");
        }

        if (string.IsNullOrWhiteSpace(o.CallbackUrl))
        {
            return IntegrationCheckResult.Failed(Name, null, "WeCom:CallbackUrl is not set.", UrlHint);
        }

        if (!Uri.TryCreate(o.CallbackUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return IntegrationCheckResult.Failed(Name, null, $"WeCom:CallbackUrl {o.CallbackUrl} is not an absolute http(s) URL.", UrlHint);
        }

        if (url.Scheme != "https" && !url.IsLoopback)
        {
            return IntegrationCheckResult.Failed(Name, null, $"WeCom:CallbackUrl {url} is not https.",
                "WeCom calls the callback URL over the internet: serve it over https with a valid certificate, and save the same https URL in WeCom and in WeCom:CallbackUrl.");
        }

        var last = await db.Inbox.AsNoTracking().OrderByDescending(m => m.ReceivedAt).Select(m => (DateTimeOffset?)m.ReceivedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return IntegrationCheckResult.Warning(Name, $"WeCom:CallbackUrl {url}; last valid callback: none yet.",
                "In WeCom's admin console open the app's callback settings (接收消息 → 设置API接收) and save them: WeCom's save-and-test calls the URL and must pass. Then submit a test approval; its callback shows here.");
        }

        var age = clock.GetUtcNow() - last.Value;
        return IntegrationCheckResult.Ok(Name,
            $"WeCom:CallbackUrl {url}; last valid callback at {last.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({Describe(age)} ago).");
    }

    private static string Describe(TimeSpan age) =>
        age < TimeSpan.FromMinutes(1) ? "less than a minute"
        : age < TimeSpan.FromHours(1) ? $"{(int)age.TotalMinutes} min"
        : age < TimeSpan.FromDays(1) ? $"{(int)age.TotalHours} h"
        : $"{(int)age.TotalDays} days";
}
