using CrmIntegration.Application.Approvals.HandleApprovalCallback;

namespace CrmIntegration.Application.Approvals.Callbacks;

/// <summary>A decrypted callback message; <paramref name="Approval"/> is null for anything but an approval status event.</summary>
public sealed record WeComMessage(string? MsgType, string? Event, ApprovalEvent? Approval)
{
    /// <summary>Dedupe key for any message (at most 128 chars); equals <see cref="ApprovalEvent.Key"/> when there is one.</summary>
    public required string Key { get; init; }
}
