namespace CrmIntegration.Simulator.State;

/// <summary>
/// A status change: <see cref="Key"/> is the sp_no (or ThirdNo), <see cref="Status"/> the status after it,
/// <see cref="Message"/> the plaintext callback, <see cref="Deliveries"/> what became of it (empty never: a dropped
/// or held callback is recorded as such).
/// </summary>
public sealed record ApprovalChange(string Key, int Status, string Message, IReadOnlyList<CallbackDelivery> Deliveries);
