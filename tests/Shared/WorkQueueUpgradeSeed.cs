using CrmIntegration.Domain.Customers;

namespace CrmIntegration.Tests.Shared;

/// <summary>
/// Rows in every status, written with the schema of the release before migration WorkQueue (ADR-22), for the
/// upgrade tests on both providers: callbacks in each inbox status and one leased by a processor that died;
/// notifications in each status and a second pending one leased by a dispatcher that died; approvals open and
/// synced (leased by a sync that died), open and never synced, requested, closed approved, abandoned.
/// </summary>
public sealed class WorkQueueUpgradeSeed(Func<int, string> time, Func<string, string> guid, Func<bool, string> boolean, Func<string, string> unicode)
{
    public static readonly string[] InboxKeys = ["received", "received-leased", "processed", "ignored", "failed"];

    public Guid OpenSynced { get; } = Guid.NewGuid();

    public Guid OpenNeverSynced { get; } = Guid.NewGuid();

    /// <summary>The INSERT statements; <c>time(m)</c> is the provider's literal for now + m minutes.</summary>
    public IReadOnlyList<string> Statements()
    {
        var sql = new List<string>();
        var employee = Id();
        sql.Add($"INSERT INTO employees (id, name, we_com_user_id, mini_program_open_id, created_at) VALUES ({employee}, {unicode("张三")}, 'zhangsan', 'o-1', {time(-60)})");
        foreach (var (key, status, leased) in new[] { ("received", "Received", false), ("received-leased", "Received", true),
                     ("processed", "Processed", false), ("ignored", "Ignored", false), ("failed", "Failed", false) })
        {
            sql.Add($"""
                INSERT INTO wecom_inbox (id, event_key, msg_type, event_name, payload, received_at, status, attempts, next_attempt_at, locked_until, lock_owner, outcome, last_error, processed_at)
                VALUES ({Id()}, '{key}', 'event', 'sys_approval_change', '<xml/>', {time(-10)}, '{status}', 1, {time(-10)}, {(leased ? time(0) : "NULL")}, {(leased ? "'dead-worker'" : "NULL")}, NULL, NULL, NULL)
                """);
        }

        foreach (var (status, leased) in Enum.GetValues<NotificationStatus>().Select(s => (s, false)).Append((NotificationStatus.Pending, true)))
        {
            var name = Application.Common.Models.SnakeCaseEnum.Name(status);
            sql.Add($"""
                INSERT INTO notification_outbox (id, employee_id, operation_id, kind, channel, customer_count, customer_names, customer_id, assigned_at, created_at, status, attempts, next_attempt_at, locked_until, lock_owner, msg_id, last_error_code, last_error, completed_at, version)
                VALUES ({Id()}, {employee}, {Id()}, 'single', 'web', 1, {unicode("客户")}, NULL, {time(-10)}, {time(-10)}, '{name}', 0, {time(-10)}, {(leased ? time(0) : "NULL")}, {(leased ? "'dead-worker'" : "NULL")}, NULL, NULL, NULL, NULL, {Id()})
                """);
        }

        var approvals = new[]
        {
            (guid(OpenSynced.ToString()), "Submitted", "Pending", true, time(-1), time(1), "'dead-sync'"),
            (guid(OpenNeverSynced.ToString()), "Submitted", "Pending", true, "NULL", "NULL", "NULL"),
            (Id(), "Requested", "Pending", true, "NULL", "NULL", "NULL"),
            (Id(), "Submitted", "Approved", false, time(-5), "NULL", "NULL"),
            (Id(), "Abandoned", "Cancelled", false, "NULL", "NULL", "NULL"),
        };
        var n = 0;
        foreach (var (id, submission, status, open, synced, leaseUntil, leaseOwner) in approvals)
        {
            var quote = Id();
            n++;
            sql.Add($"""
                INSERT INTO quotes (id, number, title, customer_name, amount, currency, status, approval_status, created_at, updated_at, version)
                VALUES ({quote}, 'CIS-20261129-000{n}', 'Q', 'ACME', 10.00, 'CNY', 'PendingApproval', 'Pending', {time(-60)}, {time(-30)}, {Id()})
                """);
            sql.Add($"""
                INSERT INTO approval_instance (id, quote_id, sp_no, third_no, template_id, kind, status, is_open, submitted_at, last_event_at, last_synced_at, version, creator_user_id, submission_state, sync_lease_owner, sync_lease_until)
                VALUES ({id}, {quote}, {(submission == "Submitted" ? $"'2026112900{n}'" : "NULL")}, 'CIS-20261129-000{n}', 'tpl', 'System', '{status}', {boolean(open)}, {time(-30)}, NULL, {synced}, {Id()}, 'zhangsan', '{submission}', {leaseOwner}, {leaseUntil})
                """);
        }

        return sql;
    }

    private string Id() => guid(Guid.NewGuid().ToString());
}
