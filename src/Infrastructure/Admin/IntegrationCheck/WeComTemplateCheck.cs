using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Infrastructure.Approvals.WeCom.Api;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Admin.IntegrationCheck;

/// <summary>
/// 3. oa/gettemplatedetail knows the quote template, and it has the configured controls of the right kinds (the
/// quote number in a Text control: reconciliation finds our forms by it). One WeCom call.
/// </summary>
internal sealed class WeComTemplateCheck(IOptions<WeComOptions> options, WeComApiClient client) : IIntegrationCheck
{
    public const string CheckName = "wecom-approval-template";

    public string Name => CheckName;

    public string? DependsOn => WeComTokenCheck.CheckName;

    public async Task<IntegrationCheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.SubmissionConfigured)
        {
            return IntegrationCheckResult.Skipped(Name, "No approval template is configured: quotes cannot be submitted.",
                "Set WeCom:Approval:TemplateId and WeCom:Approval:Controls:QuoteNumber (the template's Text control for the quote number).");
        }

        var templateId = o.Approval.TemplateId!;
        WeComTemplateDetail template;
        try
        {
            template = await client.GetTemplateDetailAsync(templateId, cancellationToken);
        }
        catch (WeComApiException e)
        {
            return IntegrationCheckResult.Failed(Name, e.ErrCode, $"{e.Api} answered {e.ErrCode} for template {templateId}: {e.ErrMsg}", PartnerHints.WeCom(e.ErrCode));
        }
        catch (WeComApiUnavailableException e)
        {
            return IntegrationCheckResult.Failed(Name, null, $"No answer from WeCom ({e.InnerException?.GetType().Name}).", WeComTokenCheck.NoAnswerHint(o));
        }

        var c = o.Approval.Controls;
        var wanted = new (string Key, string? Id, string[] Kinds)[]
        {
            ("WeCom:Approval:Controls:QuoteNumber", c.QuoteNumber, ["Text", "Textarea"]),
            ("WeCom:Approval:Controls:Title", c.Title, ["Text", "Textarea"]),
            ("WeCom:Approval:Controls:Customer", c.Customer, ["Text", "Textarea"]),
            ("WeCom:Approval:Controls:Amount", c.Amount, ["Money"]),
        };
        var problems = new List<string>();
        var wrongKeys = new List<string>();
        var found = new List<string>();
        foreach (var (key, id, kinds) in wanted.Where(w => !string.IsNullOrEmpty(w.Id)))
        {
            var control = template.Controls.FirstOrDefault(x => x.Id == id);
            if (control is null)
            {
                problems.Add($"{key} names {id}, which the template does not have");
                wrongKeys.Add(key);
            }
            else if (!kinds.Contains(control.Control, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{key} names {id}, a {control.Control} control, not {string.Join(" or ", kinds)}");
                wrongKeys.Add(key);
            }
            else
            {
                found.Add($"{id} ({control.Control})");
            }
        }

        var title = $"Template {templateId}{(template.Name is { Length: > 0 } n ? $" ({n})" : "")}";
        if (problems.Count > 0)
        {
            var controls = string.Join(", ", template.Controls.Select(x => $"{x.Id} ({x.Control}{(x.Title is { Length: > 0 } t ? $" {t}" : "")})"));
            return IntegrationCheckResult.Failed(Name, null, $"{title}: {string.Join("; ", problems)}. Its controls: {controls}.",
                $"Set {string.Join(", ", wrongKeys)} to the id of the template's control (listed in the detail): a Text control for the quote number, title and customer, a Money control for the amount.");
        }

        return IntegrationCheckResult.Ok(Name, $"{title} has {string.Join(", ", found)}.");
    }
}
