using System.Collections.Concurrent;
using CrmIntegration.Application.Approvals.WeComApi;

namespace CrmIntegration.Application.UnitTests.Support;

/// <summary>WeCom's approval API at the Application boundary: forms in memory, scripted failures, call counts.</summary>
public sealed class FakeWeComApi(TimeProvider clock) : IWeComApi
{
    private readonly ConcurrentDictionary<string, Form> _forms = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private int _sequence;

    public ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>applyevent creates the form, then throws this (the answer is lost on the way back).</summary>
    public Exception? LoseApplyAnswer { get; set; }

    public IReadOnlyDictionary<string, Form> Forms => _forms;

    public void FailNext(Exception error) => _failures.Enqueue(error);

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
        ThrowScripted();
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
        ThrowScripted();
        var f = _forms[spNo];
        return Task.FromResult(new ApprovalDetail(f.SpNo, f.Status, f.TemplateId, f.Creator, f.ApplyTime, f.Controls, $"{{\"sp_no\":\"{spNo}\"}}"));
    }

    public Task<ApprovalInfoPage> GetApprovalInfoAsync(ApprovalInfoQuery query, CancellationToken ct)
    {
        Count("getapprovalinfo");
        ThrowScripted();
        var all = _forms.Values
            .Where(f => f.ApplyTime >= query.Start && f.ApplyTime < query.End.AddSeconds(1))
            .Where(f => query.TemplateId is null || f.TemplateId == query.TemplateId)
            .OrderBy(f => f.SpNo, StringComparer.Ordinal).Select(f => f.SpNo).ToList();
        var skip = int.Parse(string.IsNullOrEmpty(query.Cursor) ? "0" : query.Cursor);
        var page = all.Skip(skip).Take(2).ToList(); // small pages: paging is exercised
        return Task.FromResult(new ApprovalInfoPage(page, skip + page.Count < all.Count ? (skip + page.Count).ToString() : null));
    }

    public Task<OpenApprovalData> GetOpenApprovalDataAsync(string thirdNo, CancellationToken ct)
    {
        Count("getopenapprovaldata:" + thirdNo);
        ThrowScripted();
        var f = _forms.Values.Single(f => f.Controls.GetValueOrDefault("third_no") == thirdNo);
        return Task.FromResult(new OpenApprovalData(thirdNo, f.Status, f.TemplateId, "{}"));
    }

    public int CallsTo(string prefix) => Calls.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value);

    private void Count(string key) => Calls.AddOrUpdate(key, 1, (_, n) => n + 1);

    private void ThrowScripted()
    {
        if (_failures.TryDequeue(out var error))
        {
            throw error;
        }
    }

    public sealed record Form(string SpNo, int Status, string TemplateId, string Creator, DateTimeOffset ApplyTime, Dictionary<string, string> Controls);
}
