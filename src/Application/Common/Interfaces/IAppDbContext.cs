using CrmIntegration.Application.Approvals.ScanApprovalLists;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmIntegration.Application.Common.Interfaces;

/// <summary>The unit of work handlers use (ADR-1): DbSets for queries and writes, rules stay in aggregates.</summary>
public interface IAppDbContext
{
    DbSet<Quote> Quotes { get; }

    DbSet<ApprovalInstance> ApprovalInstances { get; }

    DbSet<TimelineEvent> Timeline { get; }

    /// <summary>Stored WeCom callbacks (the inbox), each applied once by ProcessApprovalCallbacks.</summary>
    DbSet<InboxMessage> Inbox { get; }

    /// <summary>When the sync next reads each open approval (the sync's queue).</summary>
    DbSet<ApprovalSyncState> ApprovalSync { get; }

    DbSet<ApprovalListScan> ApprovalListScans { get; }

    DbSet<Customer> Customers { get; }

    DbSet<Employee> Employees { get; }

    DbSet<AssignmentHistory> AssignmentHistory { get; }

    DbSet<EmployeeNotification> Notifications { get; }

    /// <summary>Quote status changes in commit order, for live clients (added by the store on every save that moves a quote).</summary>
    DbSet<QuoteStatusEvent> QuoteStatusEvents { get; }

    /// <summary>For set-based work (ExecuteUpdate) that must commit together with a save.</summary>
    DatabaseFacade Database { get; }

    /// <summary>Cleared before a use case re-reads and applies again after a concurrent change (optimistic concurrency).</summary>
    ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
