using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class EmployeeNotificationConfiguration : IEntityTypeConfiguration<EmployeeNotification>
{
    public void Configure(EntityTypeBuilder<EmployeeNotification> b)
    {
        b.ToTable("notification_outbox");
        b.HasKey(n => n.Id);
        b.Property(n => n.Id).ValueGeneratedNever();
        b.Property(n => n.Kind).HasSnakeCaseConversion(16);
        b.Property(n => n.Channel).HasSnakeCaseConversion(16);
        b.Property(n => n.Status).HasSnakeCaseConversion(32);
        b.Property(n => n.CustomerNames).HasMaxLength(EmployeeNotification.CustomerNamesMaxLength).IsRequired();
        b.Property(n => n.MsgId).HasMaxLength(EmployeeNotification.MsgIdMaxLength);
        b.Property(n => n.LastError).HasMaxLength(EmployeeNotification.ErrorMaxLength);
        b.Property(n => n.Version).IsConcurrencyToken(); // app-set Guid, as on quotes: SQLite has no rowversion
        b.HasWorkLease(); // locked_until, lock_owner (ADR-22)
        b.HasOne<Employee>().WithMany().HasForeignKey(n => n.EmployeeId).OnDelete(DeleteBehavior.Restrict);

        // One message per employee per assignment request, held by the store.
        b.HasIndex(n => new { n.OperationId, n.EmployeeId }).IsUnique();

        // The queue's claim, and the list's filters.
        b.HasIndex(n => new { n.Status, n.NextAttemptAt });
        b.HasIndex(n => new { n.EmployeeId, n.CreatedAt });
        b.HasIndex(n => n.CreatedAt);
    }
}
