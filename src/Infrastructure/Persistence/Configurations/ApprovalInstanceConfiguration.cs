using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class ApprovalInstanceConfiguration : IEntityTypeConfiguration<ApprovalInstance>
{
    public void Configure(EntityTypeBuilder<ApprovalInstance> b)
    {
        b.ToTable("approval_instance");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.SpNo).HasMaxLength(ApprovalInstance.SpNoMaxLength);
        b.HasIndex(a => a.SpNo).IsUnique(); // nullable: SQL Server gets "sp_no IS NOT NULL" as the filter
        b.Property(a => a.ThirdNo).HasMaxLength(QuoteNumber.MaxLength).IsRequired();
        b.HasIndex(a => a.ThirdNo);
        b.Property(a => a.TemplateId).HasMaxLength(ApprovalInstance.TemplateIdMaxLength);
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(32);
        b.Property(a => a.SubmissionState).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.CreatorUserId).HasMaxLength(64);

        // At most one open approval per quote, held by the store too (same filter text on both providers).
        b.HasIndex(a => a.QuoteId).IsUnique().HasFilter("is_open = 1").HasDatabaseName("ux_approval_instance_open_per_quote");
        b.HasIndex(a => new { a.QuoteId, a.SubmittedAt });

        // The sync schedules the open, submitted ones.
        b.HasIndex(a => new { a.IsOpen, a.SubmissionState });
        b.Property(a => a.Version).IsConcurrencyToken();
    }
}
