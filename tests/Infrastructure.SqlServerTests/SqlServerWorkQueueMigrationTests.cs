using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Work;
using CrmIntegration.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Infrastructure.SqlServerTests;

/// <summary>The SQL Server twin of WorkQueueMigrationTests (SQLite): the upgrade to the one work queue loses nothing.</summary>
[TestFixture]
public sealed class SqlServerWorkQueueMigrationTests
{
    private const string Before = "20261130020032_LiveStatusAndConcurrency";
    private static readonly DateTimeOffset _now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    private string? _connectionString;

    [SetUp]
    public void SetUp() => _connectionString = SqlServerEnvironment.ConnectionString($"crm_{Guid.NewGuid():N}");

    [TearDown]
    public async Task TearDown()
    {
        if (_connectionString is not null)
        {
            await using var db = CreateContext();
            await db.Database.EnsureDeletedAsync();
        }
    }

    [Test]
    public async Task Upgrade_KeepsEveryInboxAndOutboxRowInItsStatus_SchedulesEveryOpenApproval_AndTheQueueTakesThemAfter()
    {
        var seed = new WorkQueueUpgradeSeed(m => $"'{_now.AddMinutes(m):yyyy-MM-ddTHH:mm:ss}+00:00'", g => $"'{g}'", b => b ? "1" : "0", s => $"N'{s}'");
        await using (var db = CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
            foreach (var statement in seed.Statements())
            {
                await db.Database.ExecuteSqlRawAsync(statement);
            }

            await db.Database.MigrateAsync();
        }

        await using var after = CreateContext();
        var inbox = await after.Inbox.AsNoTracking().ToDictionaryAsync(m => m.EventKey, m => m.Status);
        var outbox = await after.Notifications.AsNoTracking().Select(n => n.Status).ToListAsync();
        var schedule = await after.ApprovalSync.AsNoTracking().ToDictionaryAsync(s => s.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inbox.Keys, Is.EquivalentTo(WorkQueueUpgradeSeed.InboxKeys));
            Assert.That(inbox["received-leased"], Is.EqualTo(InboxStatus.Received));
            Assert.That(inbox["failed"], Is.EqualTo(InboxStatus.Failed));
            Assert.That(outbox.Order(), Is.EqualTo(Enum.GetValues<NotificationStatus>().Append(NotificationStatus.Pending).Order()));
            Assert.That(schedule.Keys, Is.EquivalentTo(new[] { seed.OpenSynced, seed.OpenNeverSynced }));
            Assert.That(schedule[seed.OpenSynced].LastSyncedAt, Is.EqualTo(_now.AddMinutes(-1)));
            Assert.That(schedule[seed.OpenNeverSynced].NextSyncAt, Is.EqualTo(_now.AddMinutes(-30)));
        }

        var clock = new FakeTimeProvider(_now.AddMinutes(1));
        var now = clock.GetUtcNow();
        var callbacks = await new WorkQueue<InboxMessage>(after, clock).ClaimAsync(
            m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now, m => m.ReceivedAt, 20, TimeSpan.FromSeconds(30), CancellationToken.None);
        var notifications = await new WorkQueue<EmployeeNotification>(after, clock).ClaimAsync(
            n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now, n => n.NextAttemptAt, 20, TimeSpan.FromSeconds(30), CancellationToken.None);
        var approvals = await new WorkQueue<ApprovalSyncState>(after, clock).ClaimAsync(
            s => s.NextSyncAt <= now, s => s.NextSyncAt, 20, TimeSpan.FromSeconds(30), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(callbacks.Items, Has.Count.EqualTo(2));
            Assert.That(notifications.Items, Has.Count.EqualTo(2));
            Assert.That(approvals.Items, Has.Count.EqualTo(2));
        }
    }

    private SqlServerAppDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerAppDbContext>().UseSqlServer(_connectionString!, DatabaseSetup.SqlServerOptions).Options);
}
