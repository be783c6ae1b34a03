using System.Text.RegularExpressions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Application.Approvals.ScanApprovalLists;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Infrastructure.Persistence.Budget;
using CrmIntegration.Infrastructure.Persistence.Streams;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>The one model; each provider's subclass owns its migrations (ADR-4).</summary>
public abstract partial class AppDbContext(DbContextOptions options) : DbContext(options), IAppDbContext
{
    public DbSet<Quote> Quotes => Set<Quote>();

    public DbSet<ApprovalInstance> ApprovalInstances => Set<ApprovalInstance>();

    public DbSet<TimelineEvent> Timeline => Set<TimelineEvent>();

    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();

    public DbSet<ApprovalSyncState> ApprovalSync => Set<ApprovalSyncState>();

    public DbSet<ApprovalListScan> ApprovalListScans => Set<ApprovalListScan>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Employee> Employees => Set<Employee>();

    public DbSet<AssignmentHistory> AssignmentHistory => Set<AssignmentHistory>();

    public DbSet<EmployeeNotification> Notifications => Set<EmployeeNotification>();

    public DbSet<QuoteStatusEvent> QuoteStatusEvents => Set<QuoteStatusEvent>();

    internal DbSet<StreamTicket> StreamTickets => Set<StreamTicket>();

    internal DbSet<WeComCallMinute> WeComCallMinutes => Set<WeComCallMinute>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        UseSnakeCaseColumns(modelBuilder);
    }

    // The seed system's tables are snake_case; property names stay C#.
    private static void UseSnakeCaseColumns(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(ToSnakeCase(key.GetName()!));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(ToSnakeCase(foreignKey.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(ToSnakeCase(index.GetDatabaseName()!));
            }
        }
    }

    internal static string ToSnakeCase(string name) => UpperAfterLower().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex UpperAfterLower();
}
