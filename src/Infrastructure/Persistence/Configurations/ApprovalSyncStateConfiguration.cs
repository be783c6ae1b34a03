using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class ApprovalSyncStateConfiguration : IEntityTypeConfiguration<ApprovalSyncState>
{
    public void Configure(EntityTypeBuilder<ApprovalSyncState> b)
    {
        b.ToTable("approval_sync_schedule");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.LastError).HasMaxLength(ApprovalSyncState.ErrorMaxLength);
        b.HasWorkLease(); // locked_until, lock_owner, version (ADR-22)
        b.HasOne<ApprovalInstance>().WithOne().HasForeignKey<ApprovalSyncState>(s => s.Id).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => s.NextSyncAt); // the queue's claim
    }
}
