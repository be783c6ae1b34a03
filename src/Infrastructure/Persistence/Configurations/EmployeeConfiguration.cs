using CrmIntegration.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class EmployeeConfiguration : IEntityTypeConfiguration<Employee>
{
    public void Configure(EntityTypeBuilder<Employee> b)
    {
        b.ToTable("employees");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Name).HasMaxLength(Employee.NameMaxLength).IsRequired();
        b.Property(e => e.WeComUserId).HasMaxLength(Employee.WeComUserIdMaxLength).IsRequired();
        b.HasIndex(e => e.WeComUserId).IsUnique(); // a sales token's wecom_userid names one employee
        b.Property(e => e.MiniProgramOpenId).HasMaxLength(Employee.OpenIdMaxLength);
    }
}
