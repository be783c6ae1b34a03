using CrmIntegration.Application.Approvals.ScanApprovalLists;
using CrmIntegration.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class ApprovalListScanConfiguration : IEntityTypeConfiguration<ApprovalListScan>
{
    public void Configure(EntityTypeBuilder<ApprovalListScan> b)
    {
        b.ToTable("approval_list_scan"); // one row (ADR-27)
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.LastError).HasMaxLength(ApprovalListScan.ErrorMaxLength);
        b.HasWorkLease(); // locked_until, lock_owner, version (ADR-22)
    }
}
