using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Common.Interfaces;

/// <summary>The unit of work handlers use (ADR-1): DbSets for queries and writes, rules stay in aggregates.</summary>
public interface IAppDbContext
{
    DbSet<Quote> Quotes { get; }

    DbSet<ApprovalInstance> ApprovalInstances { get; }

    DbSet<TimelineEvent> Timeline { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
