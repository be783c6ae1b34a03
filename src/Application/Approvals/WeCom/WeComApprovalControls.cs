namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>Template control ids the quote fills; QuoteNumber is how reconciliation finds our forms.</summary>
public sealed class WeComApprovalControls
{
    public string? QuoteNumber { get; set; }

    public string? Title { get; set; }

    public string? Customer { get; set; }

    /// <summary>A Money control.</summary>
    public string? Amount { get; set; }
}
