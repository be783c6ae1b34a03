using CrmIntegration.Infrastructure.Persistence.Streams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal sealed class StreamTicketConfiguration : IEntityTypeConfiguration<StreamTicket>
{
    public void Configure(EntityTypeBuilder<StreamTicket> b)
    {
        b.ToTable("stream_tickets");
        b.HasKey(t => t.Hash);
        b.Property(t => t.Hash).HasMaxLength(StreamTicket.HashLength).IsFixedLength();
        b.Property(t => t.Subject).HasMaxLength(StreamTicket.SubjectMaxLength).IsRequired();
        b.HasIndex(t => t.ExpiresAt);
    }
}
