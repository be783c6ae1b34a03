namespace CrmIntegration.Application.Approvals.StoreApprovalCallback;

public enum CallbackReceipt
{
    Stored,

    /// <summary>The same event was stored before (a WeCom retry or twin): acknowledged, not stored again.</summary>
    Duplicate,
}
