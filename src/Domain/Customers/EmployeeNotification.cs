using CrmIntegration.Domain.Common;
using CrmIntegration.Domain.Customers.Rules;

namespace CrmIntegration.Domain.Customers;

/// <summary>
/// An outbox row: written in the same save as the assignment it reports, delivered later by the
/// dispatcher, so WeChat being slow or down never blocks or fails an assignment and nothing is lost.
/// </summary>
public sealed class EmployeeNotification : Entity
{
    public const int MaxSampleNames = 3;
    public const int CustomerNamesMaxLength = 300;
    public const int MsgIdMaxLength = 64;
    public const int ErrorMaxLength = 1000;
    public const int LockOwnerMaxLength = 64;

    private EmployeeNotification()
    {
    } // EF

    public Guid Id { get; private set; }

    public Guid EmployeeId { get; private set; }

    /// <summary>The assignment request; unique with <see cref="EmployeeId"/>: one message per employee per request.</summary>
    public Guid OperationId { get; private set; }

    public NotificationKind Kind { get; private set; }

    public AssignmentChannel Channel { get; private set; }

    public int CustomerCount { get; private set; }

    /// <summary>Up to <see cref="MaxSampleNames"/> customer names, joined with "、".</summary>
    public string CustomerNames { get; private set; } = "";

    /// <summary>The customer of a single assignment.</summary>
    public Guid? CustomerId { get; private set; }

    public DateTimeOffset AssignedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public NotificationStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>A dispatcher's lease: until then no other dispatcher (in any instance) sends this row.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    public string? LockOwner { get; private set; }

    public string? MsgId { get; private set; }

    public int? LastErrorCode { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Optimistic concurrency token: every status change (retry, claim, settle) replaces it.</summary>
    public Guid Version { get; private set; }

    public static EmployeeNotification ForSingle(Guid employeeId, Guid operationId, AssignmentChannel channel, Guid customerId, string customerName, DateTimeOffset now) =>
        New(employeeId, operationId, NotificationKind.Single, channel, 1, [customerName], customerId, now);

    public static EmployeeNotification ForSummary(Guid employeeId, Guid operationId, AssignmentChannel channel, int customerCount, IEnumerable<string> sampleNames, DateTimeOffset now) =>
        New(employeeId, operationId, NotificationKind.Summary, channel, customerCount, sampleNames, null, now);

    /// <summary>An admin's replay of an undelivered notification: queued again with fresh attempts.</summary>
    public void Requeue(DateTimeOffset now)
    {
        CheckRule(new OnlyUndeliveredNotificationCanBeRetriedRule(Status));
        Status = NotificationStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        LockedUntil = null;
        LockOwner = null;
        CompletedAt = null;
        Version = Guid.NewGuid();
    }

    private static EmployeeNotification New(
        Guid employeeId, Guid operationId, NotificationKind kind, AssignmentChannel channel, int count, IEnumerable<string> names, Guid? customerId, DateTimeOffset now)
    {
        var joined = string.Join("、", names.Take(MaxSampleNames));
        return new EmployeeNotification
        {
            Id = Guid.CreateVersion7(now),
            EmployeeId = employeeId,
            OperationId = operationId,
            Kind = kind,
            Channel = channel,
            CustomerCount = count,
            CustomerNames = joined.Length <= CustomerNamesMaxLength ? joined : joined[..CustomerNamesMaxLength],
            CustomerId = customerId,
            AssignedAt = now,
            CreatedAt = now,
            Status = NotificationStatus.Pending,
            NextAttemptAt = now,
            Version = Guid.NewGuid(),
        };
    }
}
