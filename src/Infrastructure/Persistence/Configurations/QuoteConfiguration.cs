using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> b)
    {
        b.ToTable("quotes");
        b.HasKey(q => q.Id);
        b.Property(q => q.Id).ValueGeneratedNever();
        b.Property(q => q.Number).HasMaxLength(QuoteNumber.MaxLength).IsRequired();
        b.HasIndex(q => q.Number).IsUnique();
        b.Property(q => q.Title).HasMaxLength(Quote.TitleMaxLength).IsRequired();
        b.Property(q => q.CustomerName).HasMaxLength(Quote.CustomerNameMaxLength).IsRequired();
        b.Property(q => q.Amount).HasPrecision(15, 2);
        b.Property(q => q.Currency).HasMaxLength(Quote.CurrencyLength).IsFixedLength().IsRequired();
        b.Property(q => q.Status).HasConversion<string>().HasMaxLength(32);
        b.Property(q => q.ApprovalStatus).HasConversion<string>().HasMaxLength(32);
        b.HasIndex(q => new { q.Status, q.CreatedAt });
        b.HasIndex(q => q.CreatedAt);
        b.Property(q => q.Version).IsConcurrencyToken(); // app-set Guid: SQLite has no rowversion
        b.HasMany(q => q.Approvals).WithOne(a => a.Quote).HasForeignKey(a => a.QuoteId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(q => q.Approvals).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
