using System.Diagnostics.Metrics;

namespace CrmIntegration.Application.Common.Telemetry;

/// <summary>
/// The service's own instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>. Prometheus names follow
/// OpenTelemetry's mapping: dots become underscores, counters end in <c>_total</c>, a unit of seconds adds
/// <c>_seconds</c> (e.g. <c>crm.wecom.callbacks</c> is scraped as <c>crm_wecom_callbacks_total</c>).
/// Label values are small closed sets (outcomes, sources, API names, error codes), never ids. The backlog gauges,
/// which read the database, are on the same meter in Infrastructure (<c>BacklogMetrics</c>).
/// </summary>
public sealed class CrmMetrics
{
    public const string MeterName = "CrmIntegration";

    private readonly Counter<long> _callbacks;
    private readonly Counter<long> _approvalEvents;
    private readonly Counter<long> _weComApiCalls;
    private readonly Counter<long> _weComTokenFetches;
    private readonly Counter<long> _syncRuns;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _assignments;
    private long _lastSyncSuccessUnixSeconds;

    private int _syncRunsEnded;

    public CrmMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _callbacks = meter.CreateCounter<long>("crm.wecom.callbacks",
            description: "WeCom callback POSTs by outcome: stored, duplicate (acknowledged again), refused (label errcode: WeCom's code).");
        _approvalEvents = meter.CreateCounter<long>("crm.approval.events",
            description: "Approval status events recorded, by source (callback, sync, simulate, submit) and outcome (applied, unchanged, stale, unmatched).");
        _weComApiCalls = meter.CreateCounter<long>("crm.wecom.api.calls",
            description: "WeCom API calls by api (path) and result (ok, an errcode, or transport).");
        _weComTokenFetches = meter.CreateCounter<long>("crm.wecom.token.fetches", description: "WeCom gettoken calls.");
        _syncRuns = meter.CreateCounter<long>("crm.approval.sync.runs",
            description: "Compensation sync runs by result: ok, partial (some approvals failed or WeCom limited the run), failed (the run stopped on an error).");
        _notifications = meter.CreateCounter<long>("crm.notifications",
            description: "Notification send outcomes: sent, pending (to be retried), not_subscribed, skipped_no_openid, failed, dead, unconfirmed.");
        _assignments = meter.CreateCounter<long>("crm.customer.assignments",
            description: "Customers assigned, by channel (web, miniprogram, batch, public_pool).");

        meter.CreateObservableGauge("crm.approval.sync.last_success_timestamp", ReadLastSyncSuccess, unit: "s",
            description: "Unix time of this instance's last sync run that completed (ok or partial).");
    }

    /// <summary>The last completed sync run of this instance, if any.</summary>
    public DateTimeOffset? LastSyncSuccess =>
        Interlocked.Read(ref _lastSyncSuccessUnixSeconds) is var s and > 0 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>The result of this instance's last sync run: ok, partial or failed; null before the first.</summary>
    public string? LastSyncResult { get; private set; }

    /// <summary>Sync runs this instance ended (any result).</summary>
    public int SyncRunsEnded => Volatile.Read(ref _syncRunsEnded);

    public void CallbackStored() => _callbacks.Add(1, Tag("outcome", "stored"));

    public void CallbackDuplicate() => _callbacks.Add(1, Tag("outcome", "duplicate"));

    public void CallbackRefused(int errCode) =>
        _callbacks.Add(1, Tag("outcome", "refused"), Tag("errcode", errCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void ApprovalEvent(string source, string outcome) => _approvalEvents.Add(1, Tag("source", source), Tag("outcome", outcome));

    public void WeComApiCall(string api, string result) => _weComApiCalls.Add(1, Tag("api", api), Tag("result", result));

    public void WeComTokenFetched() => _weComTokenFetches.Add(1);

    public void SyncRun(string result, DateTimeOffset now)
    {
        _syncRuns.Add(1, Tag("result", result));
        LastSyncResult = result;
        Interlocked.Increment(ref _syncRunsEnded);
        if (result != SyncResults.Failed)
        {
            Interlocked.Exchange(ref _lastSyncSuccessUnixSeconds, now.ToUnixTimeSeconds());
        }
    }

    public void Notification(string outcome, int count = 1) => _notifications.Add(count, Tag("outcome", outcome));

    public void CustomersAssigned(string channel, int count) => _assignments.Add(count, Tag("channel", channel));

    private IEnumerable<Measurement<long>> ReadLastSyncSuccess() =>
        Interlocked.Read(ref _lastSyncSuccessUnixSeconds) is var s and > 0 ? [new Measurement<long>(s)] : [];

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    public static class SyncResults
    {
        public const string Ok = "ok";
        public const string Partial = "partial";
        public const string Failed = "failed";
    }
}
