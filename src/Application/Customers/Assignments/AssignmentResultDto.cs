namespace CrmIntegration.Application.Customers.Assignments;

/// <summary>
/// The outcome of an assignment request. <see cref="Unchanged"/> counts customers the employee already
/// owned; <see cref="NotificationId"/> is the queued notification (null when nothing changed): the
/// response never waits for WeChat.
/// </summary>
public sealed record AssignmentResultDto(Guid OperationId, Guid EmployeeId, int Assigned, int Unchanged, Guid? NotificationId);
