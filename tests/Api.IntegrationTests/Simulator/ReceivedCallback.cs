using CrmIntegration.Application.Approvals.HandleApprovalCallback;

namespace CrmIntegration.Api.IntegrationTests.Simulator;

/// <summary>A callback as the receiver decrypted it; <see cref="Approval"/> is the service parser's reading.</summary>
internal sealed record ReceivedCallback(string Path, string Timestamp, string Plain, ApprovalEvent? Approval);
