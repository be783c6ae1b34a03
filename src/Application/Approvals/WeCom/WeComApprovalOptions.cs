namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>Section "WeCom:Approval": the quote approval template submit-approval fills.</summary>
public sealed class WeComApprovalOptions
{
    /// <summary>The quote approval template (oa/applyevent template_id).</summary>
    public string? TemplateId { get; set; }

    /// <summary>1: the template's own approval flow; 0: approvers from the request.</summary>
    public bool UseTemplateApprover { get; set; } = true;

    public WeComApprovalControls Controls { get; set; } = new();
}
