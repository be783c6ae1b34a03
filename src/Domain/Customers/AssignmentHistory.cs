namespace CrmIntegration.Domain.Customers;

/// <summary>One change of a customer's owner: who had it, who has it, who decided, when and through which channel.</summary>
public sealed class AssignmentHistory
{
    public const int AssignedByMaxLength = 128;

    private AssignmentHistory()
    {
    } // EF

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    public Guid? FromEmployeeId { get; private set; }

    public Guid ToEmployeeId { get; private set; }

    /// <summary>The caller's <c>sub</c> claim.</summary>
    public string AssignedBy { get; private set; } = "";

    public DateTimeOffset AssignedAt { get; private set; }

    public AssignmentChannel Channel { get; private set; }

    /// <summary>The assignment request this change belongs to; its notification carries the same id.</summary>
    public Guid OperationId { get; private set; }

    public static AssignmentHistory Record(
        Guid customerId, Guid? fromEmployeeId, Guid toEmployeeId, string assignedBy, AssignmentChannel channel, Guid operationId, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(now),
            CustomerId = customerId,
            FromEmployeeId = fromEmployeeId,
            ToEmployeeId = toEmployeeId,
            AssignedBy = assignedBy.Length <= AssignedByMaxLength ? assignedBy : assignedBy[..AssignedByMaxLength],
            AssignedAt = now,
            Channel = channel,
            OperationId = operationId,
        };
}
