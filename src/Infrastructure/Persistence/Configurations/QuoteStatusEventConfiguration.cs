using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class QuoteStatusEventConfiguration : IEntityTypeConfiguration<QuoteStatusEvent>
{
    public void Configure(EntityTypeBuilder<QuoteStatusEvent> b)
    {
        b.ToTable("quote_status_events");
        b.HasKey(e => e.Seq);
        b.Property(e => e.Seq).ValueGeneratedOnAdd(); // SQLite AUTOINCREMENT, SQL Server IDENTITY
        b.Property(e => e.Number).HasMaxLength(QuoteNumber.MaxLength).IsRequired();
        b.Property(e => e.Status).HasConversion<string>().HasMaxLength(32);
        b.Property(e => e.ApprovalStatus).HasConversion<string>().HasMaxLength(32);
        b.Property(e => e.Source).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(e => new { e.QuoteId, e.Seq });
    }
}
