namespace CrmIntegration.Application.Customers.GetCustomer;

public sealed record CustomerDto
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public string Company { get; init; } = "";

    public string Phone { get; init; } = "";

    public Guid? OwnerEmployeeId { get; init; }

    public bool InPublicPool { get; init; }

    public DateTimeOffset? AssignedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
