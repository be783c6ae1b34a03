using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> b)
    {
        b.ToTable("wecom_inbox");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.EventKey).HasMaxLength(InboxMessage.EventKeyMaxLength).IsRequired();
        b.HasIndex(m => m.EventKey).IsUnique();
        b.Property(m => m.MsgType).HasMaxLength(64);
        b.Property(m => m.EventName).HasMaxLength(64);
        b.Property(m => m.Payload).IsRequired();
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.Outcome).HasMaxLength(InboxMessage.OutcomeMaxLength);
        b.HasWorkLease(); // locked_until, lock_owner, version (ADR-22)
        b.Property(m => m.LastError).HasMaxLength(InboxMessage.ErrorMaxLength);
        // The queue's claim walks the waiting rows oldest first and stops at its batch: ordered by the index, not sorted,
        // so a claim costs the same with 20 or 20,000 callbacks waiting (it held SQLite's writer ~50 ms at 20,000).
        b.HasIndex(m => new { m.Status, m.ReceivedAt });
        b.HasIndex(m => m.ReceivedAt); // the overview's per-minute counts, the oldest-backlog reading
    }
}
