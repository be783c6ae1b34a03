namespace CrmIntegration.Domain.Approvals;

public enum ApprovalKind
{
    /// <summary>Built-in 审批 app form submitted by this service through oa/applyevent (sys_approval_change).</summary>
    System,

    /// <summary>审批流程引擎 form launched from the CRM frontend through the JS-SDK (open_approval_change).</summary>
    Open,
}
