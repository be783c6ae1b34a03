using System.Collections.Concurrent;
using CrmIntegration.Application.Approvals.WeComApi;

namespace CrmIntegration.Application.UnitTests.Support;

/// <summary>WeCom's approval API at the Application boundary: forms in memory, scripted failures, call counts.</summary>
public sealed class FakeWeComApi(TimeProvider clock) : IWeComApi
{
    private readonly ConcurrentDictionary<string, Form> _forms = new();
    private readonly ConcurrentQueue<(string? Call, Exception Error)> _failures = new();
    private int _sequence;

    public ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>applyevent creates the form, then throws this (the answer is lost on the way back).</summary>
    public Exception? LoseApplyAnswer { get; set; }

    public IReadOnlyDictionary<string, Form> Forms => _forms;

    /// <summary>getapprovalinfo's largest page here (WeCom's is 100): small by default, so paging is exercised.</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>The next call (or the next call to <paramref name="call"/>, e.g. "getapprovaldetail") throws <paramref name="error"/>.</summary>
    public void FailNext(Exception error, string? call = null) => _failures.Enqueue((call, error));

    /// <summary>A form created in WeCom directly (not through applyevent), with whatever its controls say.</summary>
    public string AddForm(string templateId, Dictionary<string, string> controls, int status = 1)
    {
        var spNo = $"202611{Interlocked.Increment(ref _sequence):D6}";
        _forms[spNo] = new Form(spNo, status, templateId, "someone", clock.GetUtcNow(), controls);
        return spNo;
    }

    public void SetStatus(string spNo, int status) => _forms[spNo] = _forms[spNo] with { Status = status };

    public Task<string> ApplyEventAsync(ApplyEventRequest request, CancellationToken ct)
    {
        Count("applyevent");
        ThrowScripted("applyevent");
        var spNo = $"202611{Interlocked.Increment(ref _sequence):D6}";
        _forms[spNo] = new Form(spNo, 1, request.TemplateId, request.CreatorUserId, clock.GetUtcNow(),
            request.Controls.ToDictionary(c => c.Id, c => c.Value));
        if (LoseApplyAnswer is { } lost)
        {
            LoseApplyAnswer = null;
            throw lost;
        }

        return Task.FromResult(spNo);
    }

    public Task<ApprovalDetail> GetApprovalDetailAsync(string spNo, CancellationToken ct)
    {
        Count("getapprovaldetail:" + spNo);
        ThrowScripted("getapprovaldetail");
        var f = _forms[spNo];
        return Task.FromResult(new ApprovalDetail(f.SpNo, f.Status, f.TemplateId, f.Creator, f.ApplyTime, f.Controls, $"{{\"sp_no\":\"{spNo}\"}}"));
    }

    public Task<ApprovalInfoPage> GetApprovalInfoAsync(ApprovalInfoQuery query, CancellationToken ct)
    {
        Count("getapprovalinfo");
        ThrowScripted("getapprovalinfo");
        var all = _forms.Values
            .Where(f => f.ApplyTime >= query.Start && f.ApplyTime < query.End.AddSeconds(1))
            .Where(f => query.TemplateId is null || f.TemplateId == query.TemplateId)
            .Where(f => query.SpStatus is null || f.Status == query.SpStatus)
            .OrderBy(f => f.SpNo, StringComparer.Ordinal).Select(f => f.SpNo).ToList();
        var skip = int.Parse(string.IsNullOrEmpty(query.Cursor) ? "0" : query.Cursor);
        var page = all.Skip(skip).Take(Math.Min(query.Size, PageSize)).ToList();
        return Task.FromResult(new ApprovalInfoPage(page, skip + page.Count < all.Count ? (skip + page.Count).ToString() : null));
    }

    public Task<OpenApprovalData> GetOpenApprovalDataAsync(string thirdNo, CancellationToken ct)
    {
        Count("getopenapprovaldata:" + thirdNo);
        ThrowScripted("getopenapprovaldata");
        var f = _forms.Values.Single(f => f.Controls.GetValueOrDefault("third_no") == thirdNo);
        return Task.FromResult(new OpenApprovalData(thirdNo, f.Status, f.TemplateId, "{}"));
    }

    public int CallsTo(string prefix) => Calls.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value);

    private void Count(string key) => Calls.AddOrUpdate(key, 1, (_, n) => n + 1);

    private void ThrowScripted(string call)
    {
        if (_failures.TryPeek(out var next) && (next.Call is null || next.Call == call) && _failures.TryDequeue(out next))
        {
            throw next.Error;
        }
    }

    public sealed record Form(string SpNo, int Status, string TemplateId, string Creator, DateTimeOffset ApplyTime, Dictionary<string, string> Controls);
}
