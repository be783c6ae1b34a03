using CrmIntegration.Domain.Common;
using CrmIntegration.Domain.Customers.Rules;

namespace CrmIntegration.Domain.Customers;

public sealed class Customer : Entity
{
    public const int NameMaxLength = 200;
    public const int CompanyMaxLength = 200;
    public const int PhoneMaxLength = 32;

    private Customer()
    {
    } // EF

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Company { get; private set; } = "";

    public string Phone { get; private set; } = "";

    public Guid? OwnerEmployeeId { get; private set; }

    public bool InPublicPool { get; private set; }

    public DateTimeOffset? AssignedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Optimistic concurrency token, set by the app: SQLite has no rowversion.</summary>
    public Guid Version { get; private set; }

    public static Customer Create(string name, string company, string phone, bool inPublicPool, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name.Trim(),
        Company = company.Trim(),
        Phone = phone.Trim(),
        OwnerEmployeeId = null,
        InPublicPool = inPublicPool,
        CreatedAt = now,
        Version = Guid.NewGuid(),
    };

    /// <summary>
    /// Gives the customer to <paramref name="employeeId"/> (taking it out of the public pool). Returns the
    /// history row, or null when the employee already owns it: assigning again changes nothing.
    /// </summary>
    public AssignmentHistory? AssignTo(Guid employeeId, AssignmentChannel channel, string assignedBy, Guid operationId, DateTimeOffset now)
    {
        if (channel == AssignmentChannel.PublicPool)
        {
            CheckClaimable([(Id, InPublicPool)]);
        }

        if (OwnerEmployeeId == employeeId && !InPublicPool)
        {
            return null;
        }

        var history = AssignmentHistory.Record(Id, OwnerEmployeeId, employeeId, assignedBy, channel, operationId, now);
        OwnerEmployeeId = employeeId;
        InPublicPool = false;
        AssignedAt = now;
        Version = Guid.NewGuid();
        return history;
    }

    /// <summary>Checks a public-pool claim over many customers at once (the set-based path loads no entities).</summary>
    public static void CheckClaimable(IEnumerable<(Guid Id, bool InPublicPool)> customers) =>
        CheckRule(new CustomersMustBeInPublicPoolRule(customers.Where(c => !c.InPublicPool).Select(c => c.Id).ToList()));
}
