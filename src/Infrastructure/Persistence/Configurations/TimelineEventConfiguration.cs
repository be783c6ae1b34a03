using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class TimelineEventConfiguration : IEntityTypeConfiguration<TimelineEvent>
{
    public void Configure(EntityTypeBuilder<TimelineEvent> b)
    {
        b.ToTable("approval_timeline");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.EventKey).HasMaxLength(TimelineEvent.EventKeyMaxLength).IsRequired();
        b.HasIndex(t => t.EventKey).IsUnique(); // settles concurrent deliveries of one event
        b.Property(t => t.Source).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.EventName).HasMaxLength(TimelineEvent.EventNameMaxLength).IsRequired();
        b.Property(t => t.MappedStatus).HasConversion<string>().HasMaxLength(32);
        b.Property(t => t.Outcome).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Rule).HasMaxLength(TimelineEvent.RuleMaxLength);
        b.Property(t => t.SpNo).HasMaxLength(ApprovalInstance.SpNoMaxLength);
        b.Property(t => t.ThirdNo).HasMaxLength(QuoteNumber.MaxLength);
        b.HasIndex(t => new { t.QuoteId, t.ReceivedAt });
        b.HasOne<Quote>().WithMany().HasForeignKey(t => t.QuoteId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ApprovalInstance>().WithMany().HasForeignKey(t => t.ApprovalInstanceId).OnDelete(DeleteBehavior.Restrict);
    }
}
