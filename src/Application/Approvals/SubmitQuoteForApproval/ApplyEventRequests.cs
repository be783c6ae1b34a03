using System.Globalization;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals.SubmitQuoteForApproval;

/// <summary>The oa/applyevent form of a quote: its number in the quote-number control, the other controls where configured.</summary>
internal static class ApplyEventRequests
{
    private const int SummaryLineMaxLength = 20;

    public static ApplyEventRequest For(SubmitQuoteForApprovalCommand command, Quote quote, WeComOptions settings)
    {
        var controls = settings.Approval.Controls;
        var amount = quote.Amount.ToString("0.00", CultureInfo.InvariantCulture);
        var contents = new List<ApplyControl> { new("Text", controls.QuoteNumber!, quote.Number) };
        AddIfSet(contents, "Text", controls.Title, quote.Title);
        AddIfSet(contents, "Text", controls.Customer, quote.CustomerName);
        AddIfSet(contents, "Money", controls.Amount, amount);
        var approvers = command.ApproverUserIds ?? [];
        return new ApplyEventRequest(
            command.CreatorUserId!,
            settings.Approval.TemplateId!,
            UseTemplateApprover: approvers.Count == 0 && settings.Approval.UseTemplateApprover,
            approvers,
            command.NotifyUserIds ?? [],
            contents,
            [Cut($"报价 {quote.Number}"), Cut($"金额 {amount} {quote.Currency}")]);
    }

    private static void AddIfSet(List<ApplyControl> contents, string control, string? id, string value)
    {
        if (!string.IsNullOrWhiteSpace(id))
        {
            contents.Add(new ApplyControl(control, id, value));
        }
    }

    // summary_list lines are at most 20 characters (docs/wecom.md §5.1).
    private static string Cut(string line) => line.Length <= SummaryLineMaxLength ? line : line[..SummaryLineMaxLength];
}
