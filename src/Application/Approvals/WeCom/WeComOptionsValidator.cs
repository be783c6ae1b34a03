using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>A half-configured or malformed WeCom section fails start-up naming the key (ADR-6).</summary>
internal sealed partial class WeComOptionsValidator : IValidateOptions<WeComOptions>
{
    public ValidateOptionsResult Validate(string? name, WeComOptions o)
    {
        var errors = new List<string>();
        if (o.CallbacksConfigured)
        {
            if (string.IsNullOrWhiteSpace(o.CorpId))
            {
                errors.Add("WeCom:CorpId (WECOM_CORP_ID) is required when callbacks are configured: it is the receiveid every callback must carry.");
            }

            if (o.Token is null || !TokenPattern().IsMatch(o.Token))
            {
                errors.Add("WeCom:Token (WECOM_CALLBACK_TOKEN) must be 1-32 letters or digits.");
            }

            if (o.EncodingAesKey is null || !AesKeyPattern().IsMatch(o.EncodingAesKey))
            {
                errors.Add("WeCom:EncodingAesKey (WECOM_ENCODING_AES_KEY) must be exactly 43 letters or digits.");
            }
        }

        if (o.ApiConfigured && string.IsNullOrWhiteSpace(o.CorpId))
        {
            errors.Add("WeCom:CorpId (WECOM_CORP_ID) is required when WeCom:Secret is set.");
        }

        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            errors.Add("WeCom:ApiBaseUrl (WECOM_API_BASE_URL) must be an absolute http(s) URL.");
        }

        if (!string.IsNullOrEmpty(o.Approval.TemplateId) && string.IsNullOrWhiteSpace(o.Approval.Controls.QuoteNumber))
        {
            errors.Add("WeCom:Approval:Controls:QuoteNumber is required with WeCom:Approval:TemplateId: reconciliation finds forms by it.");
        }

        if (o.Sync.Interval < TimeSpan.FromSeconds(1))
        {
            errors.Add("WeCom:Sync:Interval must be at least 1 s.");
        }

        if (o.CallBudget.PerMinute is < 1 or > WeComCallBudgetOptions.WeComLimitPerMinute
            || o.CallBudget.SubmissionReserve < 0 || o.CallBudget.SubmissionReserve >= o.CallBudget.PerMinute)
        {
            errors.Add("WeCom:CallBudget:PerMinute must be 1-600 (WeCom's limit for all instances together) and "
                       + "WeCom:CallBudget:SubmissionReserve from 0 to less than PerMinute (the sync needs some of it).");
        }

        if (o.Sync.Lease < TimeSpan.FromSeconds(10) || o.Sync.SubmissionGracePeriod <= TimeSpan.Zero)
        {
            errors.Add("WeCom:Sync:Lease must be at least 10 s and WeCom:Sync:SubmissionGracePeriod above 0.");
        }

        if (o.Sync.ReconcileWindow <= TimeSpan.Zero || o.Sync.ReconcileWindow > TimeSpan.FromDays(31))
        {
            errors.Add("WeCom:Sync:ReconcileWindow must be above 0 and at most 31 days (getapprovalinfo's limit).");
        }

        if (o.Sync.ListWindow < TimeSpan.FromHours(1) || o.Sync.ListWindow > TimeSpan.FromDays(31)
            || o.Sync.RevokeLookBack < TimeSpan.Zero || o.Sync.RevokeLookBack > o.Sync.ListWindow
            || o.Sync.OldApprovalInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("WeCom:Sync:ListWindow must be from 1 hour to 31 days (getapprovalinfo's span), WeCom:Sync:RevokeLookBack "
                       + "from 0 (off) to ListWindow, and WeCom:Sync:OldApprovalInterval at least 1 s.");
        }

        if (o.HttpTimeout < TimeSpan.FromSeconds(1) || o.HttpTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add("WeCom:HttpTimeout must be from 00:00:01 to 00:05:00.");
        }

        if (o.Callback.FutureEventTolerance < TimeSpan.Zero)
        {
            errors.Add("WeCom:Callback:FutureEventTolerance must be 0 or more (e.g. 00:05:00).");
        }

        // At most a day, so a bare number (read as days, e.g. "300") fails here instead of switching the check off in effect.
        if (o.Callback.MaxClockSkew < TimeSpan.Zero || o.Callback.MaxClockSkew > TimeSpan.FromDays(1))
        {
            errors.Add("WeCom:Callback:MaxClockSkew must be from 00:00:00 (off) to 1.00:00:00, e.g. 00:05:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,32}$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[A-Za-z0-9]{43}$")]
    private static partial Regex AesKeyPattern();
}
