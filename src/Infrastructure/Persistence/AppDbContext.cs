using System.Text.RegularExpressions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Persistence.Inbox;
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

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Employee> Employees => Set<Employee>();

    public DbSet<AssignmentHistory> AssignmentHistory => Set<AssignmentHistory>();

    public DbSet<EmployeeNotification> Notifications => Set<EmployeeNotification>();

    public DbSet<QuoteStatusEvent> QuoteStatusEvents => Set<QuoteStatusEvent>();

    internal DbSet<StreamTicket> StreamTickets => Set<StreamTicket>();

    /// <summary>Raised after a save that recorded quote status changes, so this instance's live stream wakes at once.</summary>
    internal static event Action? QuoteStatusChanged;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var recorded = RecordQuoteStatusChanges();
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (recorded)
        {
            QuoteStatusChanged?.Invoke();
        }

        return saved;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var recorded = RecordQuoteStatusChanges();
        var saved = base.SaveChanges(acceptAllChangesOnSuccess);
        if (recorded)
        {
            QuoteStatusChanged?.Invoke();
        }

        return saved;
    }

    /// <summary>
    /// Every quote whose status or approval status this save changes gets a <see cref="QuoteStatusEvent"/> in the same
    /// transaction, whichever use case changed it; the source is that of the timeline row saved with it.
    /// </summary>
    private bool RecordQuoteStatusChanges()
    {
        ChangeTracker.DetectChanges();
        var changed = ChangeTracker.Entries<Quote>()
            .Where(e => e.State == EntityState.Modified
                        && (e.Property(q => q.Status).IsModified || e.Property(q => q.ApprovalStatus).IsModified)
                        && (!Equals(e.Property(q => q.Status).OriginalValue, e.Entity.Status)
                            || !Equals(e.Property(q => q.ApprovalStatus).OriginalValue, e.Entity.ApprovalStatus)))
            .Select(e => e.Entity)
            .ToList();
        if (changed.Count == 0)
        {
            return false;
        }

        var timeline = ChangeTracker.Entries<TimelineEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        foreach (var quote in changed)
        {
            var source = timeline.FirstOrDefault(t => t.QuoteId == quote.Id && t.Outcome == TimelineOutcome.Applied)?.Source;
            QuoteStatusEvents.Add(QuoteStatusEvent.Of(quote, source, quote.UpdatedAt));
        }

        return true;
    }

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
