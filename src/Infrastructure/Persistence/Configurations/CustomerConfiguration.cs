using CrmIntegration.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.ToTable("customers");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Name).HasMaxLength(Customer.NameMaxLength).IsRequired();
        b.Property(c => c.Company).HasMaxLength(Customer.CompanyMaxLength).IsRequired();
        b.Property(c => c.Phone).HasMaxLength(Customer.PhoneMaxLength).IsRequired();
        b.Property(c => c.Version).IsConcurrencyToken(); // app-set Guid: SQLite has no rowversion
        b.HasOne<Employee>().WithMany().HasForeignKey(c => c.OwnerEmployeeId).OnDelete(DeleteBehavior.Restrict);

        // The list filters: by owner, and the public pool.
        b.HasIndex(c => new { c.OwnerEmployeeId, c.CreatedAt });
        b.HasIndex(c => new { c.InPublicPool, c.CreatedAt });
        b.HasIndex(c => c.CreatedAt);
    }
}
