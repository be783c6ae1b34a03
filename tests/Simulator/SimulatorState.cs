using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CrmIntegration.Simulator.Callbacks;
using CrmIntegration.Simulator.State;

namespace CrmIntegration.Simulator;

/// <summary>
/// The simulator's in-memory WeCom and WeChat, and its control panel: everything the <c>/_sim</c> endpoints do,
/// callable directly from tests. Thread-safe; operations that send callbacks complete when delivery is done.
/// </summary>
public sealed class SimulatorState
{
    // sp_no dates are China time, as WeCom numbers its forms.
    private static readonly TimeSpan _chinaOffset = TimeSpan.FromHours(8);

    private readonly Lock _gate = new();
    private readonly SimulatorSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Approval> _approvals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _spNoSequences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OpenApproval> _openApprovals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<Fault>> _faults = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _calls = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ScriptedResult> _openIdScripts = new(StringComparer.Ordinal);
    private readonly List<DeliveredMessage> _messages = [];

    internal SimulatorState(SimulatorSettings settings, HttpClient callbackClient, TimeProvider clock, ILogger logger)
    {
        _settings = settings;
        _clock = clock;
        _logger = logger;
        CorpTokens = new TokenStore(clock, settings.TokenLifetimeSeconds);
        MiniProgramTokens = new TokenStore(clock, settings.MiniProgram.TokenLifetimeSeconds);
        Callbacks = new CallbackDispatcher(settings, callbackClient, clock, logger);
    }

    public SimulatorSettings Settings => _settings;

    public TimeProvider Clock => _clock;

    internal TokenStore CorpTokens { get; }

    internal TokenStore MiniProgramTokens { get; }

    internal CallbackDispatcher Callbacks { get; }

    // ---- System approvals -------------------------------------------------------------------------------------

    public IReadOnlyList<ApprovalSnapshot> Approvals()
    {
        lock (_gate)
        {
            return [.. _approvals.Values.OrderBy(a => a.ApplyTime).ThenBy(a => a.SpNo, StringComparer.Ordinal).Select(a => a.Snapshot())];
        }
    }

    public ApprovalSnapshot? FindApproval(string spNo)
    {
        lock (_gate)
        {
            return _approvals.TryGetValue(spNo, out var a) ? a.Snapshot() : null;
        }
    }

    /// <summary>
    /// Creates a pending form without going through applyevent (seeding getapprovalinfo, or an approval whose
    /// submit response was lost). <paramref name="contents"/> is apply_data.contents.
    /// </summary>
    public ApprovalSnapshot SubmitApproval(string creator, string? templateId = null, JsonArray? contents = null,
        DateTimeOffset? applyTime = null, IReadOnlyList<string>? approvers = null)
    {
        var approval = NewApproval(
            creator,
            templateId ?? _settings.TemplateIds.FirstOrDefault() ?? "tpl-quote",
            contents ?? [],
            (applyTime ?? _clock.GetUtcNow()).ToUnixTimeSeconds(),
            [new ApproverNode { Attr = 1, Details = [.. (approvers ?? _settings.EffectiveTemplateApprovers).Select(u => new ApproverDetail { UserId = u })] }],
            [],
            notifyType: 1,
            summary: null);
        return approval.Snapshot();
    }

    public Task<ApprovalChange> ApproveAsync(string spNo, string speech = "", int? statuChangeEvent = null) =>
        ChangeAsync(spNo, statuChangeEvent ?? ApprovalStatus.EventApproved, a =>
        {
            Require(a, ApprovalStatus.Pending, "approve");
            var now = Now();
            foreach (var node in a.Nodes)
            {
                node.Status = ApprovalStatus.Approved;
                foreach (var detail in node.Details)
                {
                    detail.Status = ApprovalStatus.Approved;
                    detail.SpTime = now;
                    detail.Speech = speech;
                }
            }

            a.SpStatus = ApprovalStatus.Approved;
        });

    public Task<ApprovalChange> RejectAsync(string spNo, string speech = "", int? statuChangeEvent = null) =>
        ChangeAsync(spNo, statuChangeEvent ?? ApprovalStatus.EventRejected, a =>
        {
            Require(a, ApprovalStatus.Pending, "reject");
            var node = a.Nodes.FirstOrDefault(n => n.Status == ApprovalStatus.Pending);
            if (node is not null)
            {
                node.Status = ApprovalStatus.Rejected;
                var detail = node.Details[0];
                detail.Status = ApprovalStatus.Rejected;
                detail.SpTime = Now();
                detail.Speech = speech;
            }

            a.SpStatus = ApprovalStatus.Rejected;
        });

    /// <summary>通过后撤销: an approved form is revoked (SpStatus 6, StatuChangeEvent 8).</summary>
    public Task<ApprovalChange> RevokeAsync(string spNo, int? statuChangeEvent = null) =>
        ChangeAsync(spNo, statuChangeEvent ?? ApprovalStatus.EventRevokedAfterApproval, a =>
        {
            Require(a, ApprovalStatus.Approved, "revoke");
            a.SpStatus = ApprovalStatus.RevokedAfterApproval;
        });

    /// <summary>The applicant withdraws a pending form (SpStatus 4, StatuChangeEvent 6).</summary>
    public Task<ApprovalChange> CancelAsync(string spNo, int? statuChangeEvent = null) =>
        ChangeAsync(spNo, statuChangeEvent ?? ApprovalStatus.EventCancelled, a =>
        {
            Require(a, ApprovalStatus.Pending, "cancel");
            a.SpStatus = ApprovalStatus.Cancelled;
        });

    /// <summary>
    /// The form is deleted (SpStatus 7). WeCom documents no StatuChangeEvent for deletion; 6 (撤销) is sent unless
    /// <paramref name="statuChangeEvent"/> says otherwise.
    /// </summary>
    public Task<ApprovalChange> DeleteAsync(string spNo, int? statuChangeEvent = null) =>
        ChangeAsync(spNo, statuChangeEvent ?? ApprovalStatus.EventCancelled, a =>
        {
            if (a.SpStatus == ApprovalStatus.Deleted)
            {
                throw new SimulatorException($"Approval {a.SpNo} is already deleted.", StatusCodes.Status409Conflict);
            }

            a.SpStatus = ApprovalStatus.Deleted;
        });

    // ---- Open approvals ---------------------------------------------------------------------------------------

    public IReadOnlyList<OpenApprovalSnapshot> OpenApprovals()
    {
        lock (_gate)
        {
            return [.. _openApprovals.Values.OrderBy(o => o.ApplyTime).Select(o => o.Snapshot())];
        }
    }

    public OpenApprovalSnapshot? FindOpenApproval(string thirdNo)
    {
        lock (_gate)
        {
            return _openApprovals.TryGetValue(thirdNo, out var o) ? o.Snapshot() : null;
        }
    }

    public OpenApprovalSnapshot CreateOpenApproval(string thirdNo, string applyUserId = "WangXiaoMing",
        string approverUserId = "LiuXiaoGang", string? openTemplateId = null)
    {
        lock (_gate)
        {
            if (_openApprovals.ContainsKey(thirdNo))
            {
                throw new SimulatorException($"Open approval {thirdNo} exists already.", StatusCodes.Status409Conflict);
            }

            var open = new OpenApproval
            {
                ThirdNo = thirdNo,
                OpenTemplateId = openTemplateId ?? "1234567890",
                OpenSpName = _settings.SpName,
                ApplyTime = Now(),
                ApplyUserId = applyUserId,
                ApplyUserName = applyUserId,
                ApproverUserId = approverUserId,
            };
            _openApprovals[thirdNo] = open;
            return open.Snapshot();
        }
    }

    /// <summary>Sets OpenSpStatus (1 审批中, 2 已通过, 3 已驳回, 4 已取消) and sends open_approval_change.</summary>
    public async Task<ApprovalChange> ChangeOpenApprovalAsync(string thirdNo, int openSpStatus)
    {
        if (openSpStatus is < 1 or > 4)
        {
            throw new SimulatorException("OpenSpStatus must be 1-4.", StatusCodes.Status400BadRequest);
        }

        string message;
        lock (_gate)
        {
            if (!_openApprovals.TryGetValue(thirdNo, out var open))
            {
                throw new SimulatorException($"No open approval {thirdNo}.", StatusCodes.Status404NotFound);
            }

            open.Status = openSpStatus;
            if (openSpStatus is ApprovalStatus.Approved or ApprovalStatus.Rejected)
            {
                open.ApproverStatus = openSpStatus;
                open.ApproverOpTime = Now();
                open.ApproverStep = 1;
            }

            message = CallbackMessages.Open(open, Now(), _settings.CorpId, "1000002");
        }

        SimulatorLog.StatusChanged(_logger, thirdNo, openSpStatus);
        var deliveries = await Callbacks.DispatchAsync(CallbackMessages.OpenApprovalChange, thirdNo, message);
        return new ApprovalChange(thirdNo, openSpStatus, message, deliveries);
    }

    // ---- Callbacks --------------------------------------------------------------------------------------------

    public Uri CallbackUrl
    {
        get => Callbacks.Url;
        set => Callbacks.Url = value;
    }

    public IReadOnlyList<CallbackDelivery> CallbackDeliveries => Callbacks.Deliveries;

    public CallbackSwitches CallbackSwitches => Callbacks.Switches;

    /// <summary>The next <paramref name="count"/> callbacks are swallowed (recorded as Dropped).</summary>
    public void DropNextCallbacks(int count) => Callbacks.DropNext(count);

    /// <summary>The next <paramref name="count"/> callbacks are each delivered twice, concurrently.</summary>
    public void DuplicateNextCallbacks(int count) => Callbacks.DuplicateNext(count);

    /// <summary>Every callback waits this long (real time) before it is sent; 0 turns it off.</summary>
    public void DelayCallbacks(int milliseconds) => Callbacks.Delay(milliseconds);

    /// <summary>The next callback is held and delivered right after the one that follows it.</summary>
    public void ReorderNextCallback(bool on = true) => Callbacks.ReorderNext(on);

    public Task<IReadOnlyList<CallbackDelivery>> FlushHeldCallbackAsync() => Callbacks.FlushHeldAsync();

    public Task<CallbackUrlCheck> CheckCallbackUrlAsync(Uri? url = null) => Callbacks.CheckUrlAsync(url);

    /// <summary>
    /// One correctly signed POST, bypassing the switches. Without <paramref name="plainXml"/> it sends a
    /// sys_approval_change for a form nobody has (the receiver should answer "success" and ignore it).
    /// </summary>
    public Task<CallbackDelivery> SendTestCallbackAsync(string? plainXml = null, Uri? url = null)
    {
        if (plainXml is not null)
        {
            return Callbacks.SendOnceAsync("test", "test", plainXml, url);
        }

        var now = Now();
        var probe = new Approval
        {
            SpNo = "TEST" + now.ToString(CultureInfo.InvariantCulture),
            SpName = _settings.SpName,
            TemplateId = "simulator-test-callback",
            Creator = "sys",
            ApplyTime = now,
            Nodes = [],
            Notifyers = [],
            NotifyType = 1,
            Contents = [],
        };
        var message = CallbackMessages.Sys(probe, ApprovalStatus.EventSubmitted, now, _settings.CorpId, _settings.AgentId);
        return Callbacks.SendOnceAsync(CallbackMessages.SysApprovalChange, probe.SpNo, message, url);
    }

    // ---- Faults, scripts, tokens, counters --------------------------------------------------------------------

    /// <summary>The next <paramref name="count"/> calls to <paramref name="path"/> (e.g. "/cgi-bin/oa/applyevent") get <paramref name="fault"/>.</summary>
    public void InjectFault(string path, Fault fault, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var key = NormalisePath(path);
        lock (_gate)
        {
            if (!_faults.TryGetValue(key, out var queue))
            {
                _faults[key] = queue = new Queue<Fault>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(fault);
            }
        }

        SimulatorLog.FaultArmed(_logger, key, count);
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>
    /// Sends to <paramref name="openId"/> (cloud function or subscribe/send) fail with <paramref name="errCode"/>
    /// (e.g. 43101) for the next <paramref name="count"/> sends; 0 clears the script.
    /// </summary>
    public void ScriptOpenId(string openId, int errCode, int count = int.MaxValue)
    {
        lock (_gate)
        {
            if (count <= 0 || errCode == 0)
            {
                _openIdScripts.Remove(openId);
            }
            else
            {
                _openIdScripts[openId] = new ScriptedResult(errCode, count);
            }
        }
    }

    /// <summary>The live gettoken token stops working at once (42001); the next gettoken issues a new one.</summary>
    public void RevokeCorpToken() => CorpTokens.RevokeLive();

    public void RevokeMiniProgramToken() => MiniProgramTokens.RevokeLive();

    public SimulatorCounters Counters()
    {
        lock (_gate)
        {
            return new SimulatorCounters(CorpTokens.Fetches, MiniProgramTokens.Fetches, new Dictionary<string, int>(_calls, StringComparer.OrdinalIgnoreCase));
        }
    }

    public IReadOnlyList<DeliveredMessage> DeliveredMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Forgets every form, token, fault, script, counter, message and delivery; switches off.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _approvals.Clear();
            _spNoSequences.Clear();
            _openApprovals.Clear();
            _faults.Clear();
            _calls.Clear();
            _openIdScripts.Clear();
            _messages.Clear();
        }

        CorpTokens.Reset();
        MiniProgramTokens.Reset();
        Callbacks.Reset();
    }

    // ---- Used by the API endpoints ----------------------------------------------------------------------------

    internal Approval NewApproval(string creator, string templateId, JsonArray contents, long applyTime,
        List<ApproverNode> nodes, List<string> notifyers, int notifyType, JsonArray? summary)
    {
        Approval approval;
        lock (_gate)
        {
            var day = DateTimeOffset.FromUnixTimeSeconds(applyTime).ToOffset(_chinaOffset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var sequence = _spNoSequences.GetValueOrDefault(day) + 1;
            _spNoSequences[day] = sequence;
            approval = new Approval
            {
                SpNo = day + sequence.ToString("D4", CultureInfo.InvariantCulture),
                SpName = _settings.SpName,
                TemplateId = templateId,
                Creator = creator,
                ApplyTime = applyTime,
                Nodes = nodes,
                Notifyers = notifyers,
                NotifyType = notifyType,
                Contents = contents,
                SummaryList = summary,
            };
            _approvals[approval.SpNo] = approval;
        }

        SimulatorLog.ApprovalSubmitted(_logger, approval.SpNo, creator, templateId);
        return approval;
    }

    /// <summary>Runs <paramref name="read"/> under the lock: the caller must not keep references it returns.</summary>
    internal T Read<T>(Func<IReadOnlyDictionary<string, Approval>, IReadOnlyDictionary<string, OpenApproval>, T> read)
    {
        lock (_gate)
        {
            return read(_approvals, _openApprovals);
        }
    }

    internal void CountCall(string path)
    {
        lock (_gate)
        {
            _calls[path] = _calls.GetValueOrDefault(path) + 1;
        }
    }

    internal Fault? TakeFault(string path)
    {
        lock (_gate)
        {
            return _faults.TryGetValue(NormalisePath(path), out var queue) && queue.TryDequeue(out var fault) ? fault : null;
        }
    }

    /// <summary>The scripted error for a send to <paramref name="openId"/>, consuming one use; null = deliver.</summary>
    internal int? TakeScriptedError(string openId)
    {
        lock (_gate)
        {
            if (!_openIdScripts.TryGetValue(openId, out var script))
            {
                return null;
            }

            if (script.Remaining != int.MaxValue)
            {
                if (script.Remaining <= 1)
                {
                    _openIdScripts.Remove(openId);
                }
                else
                {
                    _openIdScripts[openId] = script with { Remaining = script.Remaining - 1 };
                }
            }

            return script.ErrCode;
        }
    }

    internal string RecordMessage(string channel, string openId, string? templateId, string? page, JsonNode? data)
    {
        var msgId = WxIds.NineteenDigits();
        lock (_gate)
        {
            _messages.Add(new DeliveredMessage(channel, openId, templateId, page, data?.DeepClone(), msgId, _clock.GetUtcNow()));
        }

        return msgId;
    }

    internal long Now() => _clock.GetUtcNow().ToUnixTimeSeconds();

    private static string NormalisePath(string path) => "/" + path.Trim().TrimStart('/');

    private static void Require(Approval a, int status, string action)
    {
        if (a.SpStatus != status)
        {
            throw new SimulatorException($"Cannot {action} approval {a.SpNo}: its sp_status is {a.SpStatus}.", StatusCodes.Status409Conflict);
        }
    }

    private async Task<ApprovalChange> ChangeAsync(string spNo, int statuChangeEvent, Action<Approval> change)
    {
        string message;
        int status;
        lock (_gate)
        {
            if (!_approvals.TryGetValue(spNo, out var approval))
            {
                throw new SimulatorException($"No approval {spNo}.", StatusCodes.Status404NotFound);
            }

            change(approval);
            status = approval.SpStatus;
            message = CallbackMessages.Sys(approval, statuChangeEvent, Now(), _settings.CorpId, _settings.AgentId);
        }

        SimulatorLog.StatusChanged(_logger, spNo, status);
        var deliveries = await Callbacks.DispatchAsync(CallbackMessages.SysApprovalChange, spNo, message);
        return new ApprovalChange(spNo, status, message, deliveries);
    }

    private sealed record ScriptedResult(int ErrCode, int Remaining);
}
