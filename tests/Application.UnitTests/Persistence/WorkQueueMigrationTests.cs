using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Work;
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
        var sql = new List<string>();
        var employee = Id();
        sql.Add($"INSERT INTO employees (id, name, we_com_user_id, mini_program_open_id, created_at) VALUES ('{employee}', '张三', 'zhangsan', 'o-1', {T(-60)})");

        // Callbacks: one in each status, and a received one leased by a processor that died.
        foreach (var (key, status, leased) in new[] { ("received", "Received", false), ("received-leased", "Received", true),
                     ("processed", "Processed", false), ("ignored", "Ignored", false), ("failed", "Failed", false) })
        {
            sql.Add($"""
                INSERT INTO wecom_inbox (id, event_key, msg_type, event_name, payload, received_at, status, attempts, next_attempt_at, locked_until, lock_owner, outcome, last_error, processed_at)
                VALUES ('{Id()}', '{key}', 'event', 'sys_approval_change', '<xml/>', {T(-10)}, '{status}', 1, {T(-10)}, {(leased ? T(0) : "NULL")}, {(leased ? "'dead-worker'" : "NULL")}, NULL, NULL, NULL)
                """);
        }

        // Notifications: one in each status, and a second pending one leased by a dispatcher that died.
        foreach (var (status, leased) in Enum.GetValues<NotificationStatus>().Select(s => (s, false)).Append((NotificationStatus.Pending, true)))
        {
            var name = Application.Common.Models.SnakeCaseEnum.Name(status);
            sql.Add($"""
                INSERT INTO notification_outbox (id, employee_id, operation_id, kind, channel, customer_count, customer_names, customer_id, assigned_at, created_at, status, attempts, next_attempt_at, locked_until, lock_owner, msg_id, last_error_code, last_error, completed_at, version)
                VALUES ('{Id()}', '{employee}', '{Id()}', 'single', 'web', 1, '客户', NULL, {T(-10)}, {T(-10)}, '{name}', 0, {T(-10)}, {(leased ? T(0) : "NULL")}, {(leased ? "'dead-worker'" : "NULL")}, NULL, NULL, NULL, NULL, '{Id()}')
                """);
        }

        // Approvals: open and synced a minute ago (and leased by a sync that died), open and never synced,
        // requested (no form yet), closed approved, abandoned.
        var openSynced = Id();
        var openNeverSynced = Id();
        var approvals = new[]
        {
            (openSynced, "Submitted", "Pending", 1, T(-1), T(1), "'dead-sync'"),
            (openNeverSynced, "Submitted", "Pending", 1, "NULL", "NULL", "NULL"),
            (Id(), "Requested", "Pending", 1, "NULL", "NULL", "NULL"),
            (Id(), "Submitted", "Approved", 0, T(-5), "NULL", "NULL"),
            (Id(), "Abandoned", "Cancelled", 0, "NULL", "NULL", "NULL"),
        };
        var n = 0;
        foreach (var (id, submission, status, open, synced, leaseUntil, leaseOwner) in approvals)
        {
            var quote = Id();
            n++;
            sql.Add($"""
                INSERT INTO quotes (id, number, title, customer_name, amount, currency, status, approval_status, created_at, updated_at, version)
                VALUES ('{quote}', 'CIS-20261129-000{n}', 'Q', 'ACME', '10.00', 'CNY', 'PendingApproval', 'Pending', {T(-60)}, {T(-30)}, '{Id()}')
                """);
            sql.Add($"""
                INSERT INTO approval_instance (id, quote_id, sp_no, third_no, template_id, kind, status, is_open, submitted_at, last_event_at, last_synced_at, version, creator_user_id, submission_state, sync_lease_owner, sync_lease_until)
                VALUES ('{id}', '{quote}', {(submission == "Submitted" ? $"'2026112900{n}'" : "NULL")}, 'CIS-20261129-000{n}', 'tpl', 'System', '{status}', {open}, {T(-30)}, NULL, {synced}, '{Id()}', 'zhangsan', '{submission}', {leaseOwner}, {leaseUntil})
                """);
        }

        await using var command = _connection.CreateCommand();
        command.CommandText = string.Join(";\n", sql);
        await command.ExecuteNonQueryAsync();
        return (Guid.Parse(openSynced), Guid.Parse(openNeverSynced));
    }

    private static string Id() => Guid.NewGuid().ToString().ToUpperInvariant(); // as EF's SQLite provider writes them

    private static string T(int minutes) => _time.ConvertToProvider(_now.AddMinutes(minutes))!.ToString()!;
}
