namespace CrmIntegration.Application.Customers.GetEmployee;

public sealed record EmployeeDto
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    public string WeComUserId { get; init; } = "";

    public string? MiniProgramOpenId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
