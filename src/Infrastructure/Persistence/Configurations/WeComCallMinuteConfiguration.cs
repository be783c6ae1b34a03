using CrmIntegration.Infrastructure.Persistence.Budget;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class WeComCallMinuteConfiguration : IEntityTypeConfiguration<WeComCallMinute>
{
    public void Configure(EntityTypeBuilder<WeComCallMinute> b)
    {
        b.ToTable(WeComCallMinute.Table);
        b.HasKey(m => m.UnixMinute);
        b.Property(m => m.UnixMinute).ValueGeneratedNever();
    }
}
