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
        CompletedAt = null;
        Version = Guid.NewGuid();
    }

    /// <summary>
    /// Counted before WeChat is called: a send cut off by a crash (WeChat has no idempotency key, so it may have
    /// arrived) shows as a second attempt when the row is sent again.
    /// </summary>
    public void StartAttempt()
    {
        CheckRule(new OnlyPendingNotificationCanBeSentRule(Status));
        Attempts++;
        Version = Guid.NewGuid();
    }

    /// <summary>The employee has no mini-program openid: nothing to send to (an admin may retry once it is set).</summary>
    public void SkipNoOpenid(string reason, DateTimeOffset now)
    {
        CheckRule(new OnlyPendingNotificationCanBeSentRule(Status));
        Attempts++;
        Complete(NotificationStatus.SkippedNoOpenid, null, reason, null, now);
    }

    /// <summary>
    /// What the attempt started by <see cref="StartAttempt"/> came to: sent, not_subscribed, failed and unconfirmed end
    /// here; a transient failure is pending again after the policy's backoff, or dead once the attempts are used up.
    /// </summary>
    public NotificationStatus RecordAttempt(SendOutcome outcome, int? errorCode, string? error, string? msgId,
        DateTimeOffset now, RetryPolicy policy, double jitter)
    {
        CheckRule(new OnlyPendingNotificationCanBeSentRule(Status));
        var status = outcome switch
        {
            SendOutcome.Sent => NotificationStatus.Sent,
            SendOutcome.NotSubscribed => NotificationStatus.NotSubscribed,
            SendOutcome.Failed => NotificationStatus.Failed,
            SendOutcome.Unconfirmed => NotificationStatus.Unconfirmed,
            _ => NotificationStatus.Pending,
        };
        if (status == NotificationStatus.Pending)
        {
            if (policy.NextAttemptAt(Attempts, now, jitter) is { } next)
            {
                NextAttemptAt = next;
                LastErrorCode = errorCode;
                LastError = Text.Cut(error, ErrorMaxLength);
                Version = Guid.NewGuid();
                return Status;
            }

            status = NotificationStatus.Dead;
        }

        Complete(status, errorCode, error, msgId, now);
        return Status;
    }

    private void Complete(NotificationStatus status, int? errorCode, string? error, string? msgId, DateTimeOffset now)
    {
        Status = status;
        LastErrorCode = errorCode == 0 ? null : errorCode;
        LastError = Text.Cut(error, ErrorMaxLength);
        MsgId = Text.Cut(msgId, MsgIdMaxLength);
        CompletedAt = now;
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
            CustomerNames = Text.Cut(joined, CustomerNamesMaxLength)!,
            CustomerId = customerId,
            AssignedAt = now,
            CreatedAt = now,
            Status = NotificationStatus.Pending,
            NextAttemptAt = now,
            Version = Guid.NewGuid(),
        };
    }
}
