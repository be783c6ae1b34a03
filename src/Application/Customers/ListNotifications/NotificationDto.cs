using CrmIntegration.Domain.Customers;

namespace CrmIntegration.Application.Customers.ListNotifications;

public sealed record NotificationDto
{
    public Guid Id { get; init; }

    public Guid EmployeeId { get; init; }

    public Guid OperationId { get; init; }

    public NotificationKind Kind { get; init; }

    public AssignmentChannel Channel { get; init; }

    public int CustomerCount { get; init; }

    public string CustomerNames { get; init; } = "";

    public Guid? CustomerId { get; init; }

    public NotificationStatus Status { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public string? MsgId { get; init; }

    public int? LastErrorCode { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }
}
