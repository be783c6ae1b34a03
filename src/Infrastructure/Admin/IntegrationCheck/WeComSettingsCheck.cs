using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Approvals.WeCom;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Admin.IntegrationCheck;

/// <summary>1. The WeCom settings are well-formed (the start-up validation, run again) and which features they turn on.</summary>
internal sealed class WeComSettingsCheck(IOptions<WeComOptions> options, IEnumerable<IValidateOptions<WeComOptions>> validators) : IIntegrationCheck
{
    public const string CheckName = "wecom-settings";

    public string Name => CheckName;

    public string? DependsOn => null;

    public Task<IntegrationCheckResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(Run());

    private IntegrationCheckResult Run()
    {
        var o = options.Value;
        if (!o.CallbacksConfigured && !o.ApiConfigured)
        {
            return IntegrationCheckResult.Skipped(Name, "WeCom is not configured: callbacks, submit and sync are off.",
                $"To connect WeCom: {FeatureReport.WeComCallbacksOff}; {FeatureReport.WeComApiOff}; and set WeCom:Approval:TemplateId with WeCom:Approval:Controls:QuoteNumber.");
        }

        var errors = validators.Select(v => v.Validate(Options.DefaultName, o)).Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
        if (errors.Count > 0)
        {
            return IntegrationCheckResult.Failed(Name, null, string.Join(" ", errors), "Fix the keys named (the service refuses to start with them).");
        }

        var on = new List<string>();
        var off = new List<string>();
        if (o.CallbacksConfigured)
        {
            on.Add($"callbacks for corp {o.CorpId}");
        }
        else
        {
            off.Add($"callbacks are off: {FeatureReport.WeComCallbacksOff}");
        }

        if (o.ApiConfigured)
        {
            on.Add($"the API (submit, sync) at {o.ApiBaseUrl}");
        }
        else
        {
            off.Add($"the API (submit, sync) is off: {FeatureReport.WeComApiOff}");
        }

        if (o.SubmissionConfigured)
        {
            on.Add($"submission with template {o.Approval.TemplateId}, the quote number in control {o.Approval.Controls.QuoteNumber}");
        }
        else if (o.ApiConfigured)
        {
            off.Add("submission is off: set WeCom:Approval:TemplateId and WeCom:Approval:Controls:QuoteNumber");
        }

        var detail = $"On: {string.Join("; ", on)}.";
        return off.Count == 0
            ? IntegrationCheckResult.Ok(Name, detail)
            : IntegrationCheckResult.Warning(Name, detail, string.Join("; ", off) + ".");
    }
}
