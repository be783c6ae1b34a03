using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Work;
using CrmIntegration.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Application.UnitTests.Persistence;

/// <summary>
/// The upgrade to the one work queue (migration WorkQueue, ADR-22) on a SQLite database written by the release before
/// it, holding rows in every status (one of each leased by a worker that died): no acknowledged callback, pending
/// notification or open approval may be lost, and each is still picked up by the new queue afterwards.
/// </summary>
[TestFixture]
public sealed class WorkQueueMigrationTests
{
    private const string Before = "20261130020019_LiveStatusAndConcurrency";
    private static readonly DateTimeOffset _now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private static readonly ValueConverter<DateTimeOffset, long> _time = new DateTimeOffsetToBinaryConverter();

    private SqliteConnection _connection = null!;

    [SetUp]
    public void SetUp()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
    }

    [TearDown]
    public void TearDown() => _connection.Dispose();

    [Test]
    public async Task Upgrade_KeepsEveryInboxAndOutboxRowInItsStatus_SchedulesEveryOpenApproval_AndTheQueueTakesThemAfter()
    {
        await using (var db = NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
        }

        var ids = await SeedOldRowsAsync();
        await using (var db = NewContext())
        {
            await db.Database.MigrateAsync();
        }

        await using var after = NewContext();
        var inbox = await after.Inbox.AsNoTracking().ToDictionaryAsync(m => m.EventKey, m => m.Status);
        var outbox = await after.Notifications.AsNoTracking().ToDictionaryAsync(n => n.Id, n => n.Status);
        var schedule = await after.ApprovalSync.AsNoTracking().ToDictionaryAsync(s => s.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inbox, Is.EqualTo(new Dictionary<string, InboxStatus>
            {
                ["received"] = InboxStatus.Received, ["received-leased"] = InboxStatus.Received, ["processed"] = InboxStatus.Processed,
                ["ignored"] = InboxStatus.Ignored, ["failed"] = InboxStatus.Failed,
            }));
            Assert.That(outbox.Values.OrderBy(s => s), Is.EqualTo(Enum.GetValues<NotificationStatus>().Append(NotificationStatus.Pending).OrderBy(s => s)));
            Assert.That(schedule.Keys, Is.EquivalentTo(new[] { ids.OpenSynced, ids.OpenNeverSynced }), "open submitted approvals only");
            Assert.That(schedule[ids.OpenSynced].LastSyncedAt, Is.EqualTo(_now.AddMinutes(-1)), "last read kept");
            Assert.That(schedule[ids.OpenSynced].NextSyncAt, Is.EqualTo(_now.AddMinutes(-1)));
            Assert.That(schedule[ids.OpenNeverSynced].NextSyncAt, Is.EqualTo(_now.AddMinutes(-30)), "due since its submission");
            Assert.That(await after.ApprovalInstances.CountAsync(), Is.EqualTo(5), "no approval lost");
        }

        // A minute later (the dead workers' leases have run out) the new queue takes everything that was due.
        var clock = new FakeTimeProvider(_now.AddMinutes(1));
        var now = clock.GetUtcNow();
        var callbacks = await new WorkQueue<InboxMessage>(after, clock).ClaimAsync(
            m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now, m => m.ReceivedAt, 20, TimeSpan.FromSeconds(30), CancellationToken.None);
        var notifications = await new WorkQueue<EmployeeNotification>(after, clock).ClaimAsync(
            n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now, n => n.NextAttemptAt, 20, TimeSpan.FromSeconds(30), CancellationToken.None);
        var approvals = await new WorkQueue<Application.Approvals.SyncPendingApprovals.ApprovalSyncState>(after, clock).ClaimAsync(
            s => s.NextSyncAt <= now, s => s.NextSyncAt, 20, TimeSpan.FromSeconds(30), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(callbacks.Items.Select(m => m.EventKey), Is.EquivalentTo(new[] { "received", "received-leased" }));
            Assert.That(notifications.Items, Has.Count.EqualTo(2), "both pending notifications, the leased one too");
            Assert.That(approvals.Items, Has.Count.EqualTo(2));
        }
    }

    private SqliteAppDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(_connection, DatabaseSetup.SqliteOptions).Options);

    private async Task<(Guid OpenSynced, Guid OpenNeverSynced)> SeedOldRowsAsync()
    {
        // EF's SQLite provider writes Guids as upper-case text and DateTimeOffsets as packed ticks (ADR-4).
        var seed = new WorkQueueUpgradeSeed(T, g => $"'{g.ToUpperInvariant()}'", b => b ? "1" : "0", s => $"'{s}'");
        await using var command = _connection.CreateCommand();
        command.CommandText = string.Join(";\n", seed.Statements());
        await command.ExecuteNonQueryAsync();
        return (seed.OpenSynced, seed.OpenNeverSynced);
    }

    private static string T(int minutes) => _time.ConvertToProvider(_now.AddMinutes(minutes))!.ToString()!;
}
