using CrmIntegration.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class AssignmentHistoryConfiguration : IEntityTypeConfiguration<AssignmentHistory>
{
    public void Configure(EntityTypeBuilder<AssignmentHistory> b)
    {
        b.ToTable("customer_assignment_history");
        b.HasKey(h => h.Id);
        b.Property(h => h.Id).ValueGeneratedNever();
        b.Property(h => h.AssignedBy).HasMaxLength(AssignmentHistory.AssignedByMaxLength).IsRequired();
        b.Property(h => h.Channel).HasSnakeCaseConversion(16);
        b.HasOne<Customer>().WithMany().HasForeignKey(h => h.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Employee>().WithMany().HasForeignKey(h => h.FromEmployeeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Employee>().WithMany().HasForeignKey(h => h.ToEmployeeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(h => new { h.CustomerId, h.AssignedAt });
        b.HasIndex(h => h.OperationId);
    }
}
