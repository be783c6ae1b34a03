namespace CrmIntegration.Application.Common.Work;

/// <summary>The background work this service does, each a queue drained by one worker per instance (ADR-22).</summary>
public enum WorkKind
{
    /// <summary>Stored WeCom callbacks: applied by ProcessApprovalCallbacks.</summary>
    ApprovalCallbacks,

    /// <summary>The notification outbox: delivered by DeliverEmployeeNotification.</summary>
    EmployeeNotifications,

    /// <summary>Open approvals read back from WeCom: SyncPendingApprovals, every WeCom:Sync:Interval.</summary>
    ApprovalSync,
}
