namespace CrmIntegration.Api.Http;

/// <summary>How many items an admin's "retry all" queued again (callbacks or notifications).</summary>
internal sealed record RetriedCount(int Retried);
