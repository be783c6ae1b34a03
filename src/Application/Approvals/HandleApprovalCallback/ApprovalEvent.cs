namespace CrmIntegration.Application.Approvals.HandleApprovalCallback;

/// <summary>
/// A status event about an approval, from a callback, the sync or the simulator.
/// </summary>
/// <param name="Key">Unique per event: EventID when the payload has one, else a hash of the decrypted message.</param>
/// <param name="EventName">sys_approval_change, open_approval_change, or the source's own name.</param>
/// <param name="SpNo">SpNoStr, else SpNo (system approvals).</param>
/// <param name="ThirdNo">The quote number (open approvals; system approvals we submitted carry it on our side).</param>
/// <param name="Status">WeCom's raw SpStatus / OpenSpStatus code.</param>
/// <param name="StatusChangeEvent">StatuChangeEvent (system approvals only): what the approver did.</param>
/// <param name="TemplateId">TemplateId / OpenTemplateId.</param>
/// <param name="OccurredAt">The payload's CreateTime.</param>
/// <param name="Payload">The decrypted message as received.</param>
/// <param name="ReceivedAt">When it reached us (the inbox row's receipt); null means now.</param>
public sealed record ApprovalEvent(
    string Key,
    string EventName,
    string? SpNo,
    string? ThirdNo,
    int? Status,
    int? StatusChangeEvent,
    string? TemplateId,
    DateTimeOffset OccurredAt,
    string Payload,
    DateTimeOffset? ReceivedAt = null)
{
    public const string SystemApprovalChange = "sys_approval_change";
    public const string OpenApprovalChange = "open_approval_change";
}
