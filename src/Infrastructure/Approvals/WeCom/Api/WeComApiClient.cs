using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Api;

/// <summary>
/// WeCom's approval API over HttpClientFactory. The access_token travels in the query string, so no URL is ever
/// logged here, and exceptions carry the API name only.
/// </summary>
internal sealed class WeComApiClient(
    IHttpClientFactory httpClients,
    WeComTokenCache tokens,
    IOptions<WeComOptions> options,
    CrmMetrics metrics,
    ILogger<WeComApiClient> logger) : IWeComApi
{
    /// <summary>Read calls: retried on transient HTTP failures.</summary>
    public const string ReadClient = "wecom";

    /// <summary>applyevent: never retried by HTTP (no idempotency key; the caller reconciles instead).</summary>
    public const string WriteClient = "wecom-write";

    private static readonly JsonSerializerOptions _json = new() { PropertyNamingPolicy = null };

    private WeComOptions Settings => options.Value;

    public async Task<string> ApplyEventAsync(ApplyEventRequest request, CancellationToken ct)
    {
        var body = new Dictionary<string, object?>
        {
            ["creator_userid"] = request.CreatorUserId,
            ["template_id"] = request.TemplateId,
            ["use_template_approver"] = request.UseTemplateApprover ? 1 : 0,
            ["apply_data"] = new { contents = request.Controls.Select(Content).ToArray() },
            ["summary_list"] = request.SummaryLines
                .Select(line => new { summary_info = new[] { new { text = line, lang = "zh_CN" } } }).ToArray(),
        };
        if (!request.UseTemplateApprover)
        {
            body["approver"] = new[] { new { attr = 1, userid = request.ApproverUserIds } }; // 或签: any one approves
        }

        if (request.NotifyUserIds.Count > 0)
        {
            body["notifyer"] = request.NotifyUserIds;
            body["notify_type"] = 1; // never 0: WeCom answers 301025
        }

        var root = await CallAsync("oa/applyevent", body, WriteClient, ct);
        return WeComJson.String(root, "sp_no") is { Length: > 0 } spNo
            ? spNo
            : throw new WeComApiException("oa/applyevent", -1, "the answer has no sp_no");
    }

    public async Task<ApprovalDetail> GetApprovalDetailAsync(string spNo, CancellationToken ct)
    {
        var root = await CallAsync("oa/getapprovaldetail", new { sp_no = spNo }, ReadClient, ct);
        var info = WeComJson.Child(root, "info");
        var controls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var content in WeComJson.Items(WeComJson.Child(WeComJson.Child(info, "apply_data"), "contents")))
        {
            if (WeComJson.String(content, "id") is { } id && ControlText(WeComJson.Child(content, "value")) is { } text)
            {
                controls[id] = text;
            }
        }

        var applyer = WeComJson.Child(info, "applyer");
        return new ApprovalDetail(
            WeComJson.String(info, "sp_no") ?? spNo,
            (int)WeComJson.Long(info, "sp_status"),
            WeComJson.String(info, "template_id"),
            WeComJson.String(applyer, "userid") ?? WeComJson.String(WeComJson.Items(WeComJson.Child(info, "batch_applyer")).FirstOrDefault(), "userid"),
            DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(WeComJson.Long(info, "apply_time"), 0, 253_402_300_799)),
            controls,
            root.GetRawText());
    }

    public async Task<ApprovalInfoPage> GetApprovalInfoAsync(ApprovalInfoQuery query, CancellationToken ct)
    {
        var filters = new List<object>();
        if (query.TemplateId is not null)
        {
            filters.Add(new { key = "template_id", value = query.TemplateId });
        }

        if (query.CreatorUserId is not null)
        {
            filters.Add(new { key = "creator", value = query.CreatorUserId });
        }

        if (query.SpStatus is { } status)
        {
            filters.Add(new { key = "sp_status", value = status.ToString(CultureInfo.InvariantCulture) });
        }

        var root = await CallAsync("oa/getapprovalinfo", new
        {
            starttime = query.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), // seconds: ms → 301025
            endtime = query.End.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            new_cursor = query.Cursor ?? "",
            size = query.Size,
            filters,
        }, ReadClient, ct);
        var spNos = WeComJson.Items(WeComJson.Child(root, "sp_no_list"))
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())
            .OfType<string>().ToList();
        var next = WeComJson.String(root, "new_next_cursor");

        // Paging ends when the cursor is absent or empty, or a page comes back empty (docs/wecom.md §5.3; §7: unconfirmed).
        return new ApprovalInfoPage(spNos, string.IsNullOrEmpty(next) || spNos.Count == 0 || next == query.Cursor ? null : next);
    }

    public async Task<OpenApprovalData> GetOpenApprovalDataAsync(string thirdNo, CancellationToken ct)
    {
        var root = await CallAsync("corp/getopenapprovaldata", new { thirdNo }, ReadClient, ct);
        var data = WeComJson.Child(root, "data");
        return new OpenApprovalData(
            WeComJson.String(data, "ThirdNo") ?? thirdNo,
            (int)WeComJson.Long(data, "OpenSpstatus"),
            WeComJson.String(data, "OpenTemplateId"),
            root.GetRawText());
    }

    /// <summary>
    /// The access token from the shared cache, fetched with gettoken only when none is cached (WeCom asks callers to
    /// cache it; gettoken is rate-limited too). True when this call fetched it.
    /// </summary>
    public async Task<bool> EnsureTokenAsync(CancellationToken ct)
    {
        var fetched = false;
        await tokens.GetAsync(Settings.CorpId!, Settings.Secret!, c =>
        {
            fetched = true;
            return FetchTokenAsync(c);
        }, ct);
        return fetched;
    }

    /// <summary>oa/gettemplatedetail {template_id}: the template's name and its controls' ids and kinds (template_content.controls[].property).</summary>
    public async Task<WeComTemplateDetail> GetTemplateDetailAsync(string templateId, CancellationToken ct)
    {
        var root = await CallAsync("oa/gettemplatedetail", new { template_id = templateId }, ReadClient, ct);
        var controls = WeComJson.Items(WeComJson.Child(WeComJson.Child(root, "template_content"), "controls"))
            .Select(c => WeComJson.Child(c, "property"))
            .Where(p => WeComJson.String(p, "id") is { Length: > 0 })
            .Select(p => new WeComTemplateControl(
                WeComJson.String(p, "id")!,
                WeComJson.String(p, "control") ?? "",
                WeComJson.String(WeComJson.Items(WeComJson.Child(p, "title")).FirstOrDefault(), "text")))
            .ToList();
        var name = WeComJson.String(WeComJson.Items(WeComJson.Child(root, "template_names")).FirstOrDefault(), "text");
        return new WeComTemplateDetail(name, controls);
    }

    private static object Content(ApplyControl c) => c.Control switch
    {
        "Money" => new { control = c.Control, id = c.Id, value = (object)new { new_money = c.Value } },
        "Number" => new { control = c.Control, id = c.Id, value = (object)new { new_number = c.Value } },
        _ => new { control = c.Control, id = c.Id, value = (object)new { text = c.Value } },
    };

    private static string? ControlText(JsonElement value) =>
        WeComJson.String(value, "text") ?? WeComJson.String(value, "new_money") ?? WeComJson.String(value, "new_number");

    /// <summary>A token error (40001/40014/42001) drops the token, fetches once more and retries once: never a loop.</summary>
    private async Task<JsonElement> CallAsync(string api, object body, string client, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = await tokens.GetAsync(Settings.CorpId!, Settings.Secret!, FetchTokenAsync, ct);
            var root = await SendAsync(api, client, $"cgi-bin/{api}?access_token={Uri.EscapeDataString(token)}", body, ct);
            var errCode = (int)WeComJson.Long(root, "errcode");
            if (errCode == 0)
            {
                return root;
            }

            var error = new WeComApiException(api, errCode, WeComJson.String(root, "errmsg") ?? "");
            if (error.IsTokenError && attempt == 1)
            {
                logger.LogInformation("WeCom rejected the access token ({ErrCode}) on {Api}; fetching a new one", errCode, api);
                tokens.Invalidate(Settings.CorpId!, Settings.Secret!, token);
                continue;
            }

            logger.LogWarning("WeCom {Api} answered {ErrCode}: {ErrMsg}", api, errCode, error.ErrMsg);
            throw error;
        }
    }

    private async Task<(string Token, int ExpiresIn)> FetchTokenAsync(CancellationToken ct)
    {
        var query = $"cgi-bin/gettoken?corpid={Uri.EscapeDataString(Settings.CorpId!)}&corpsecret={Uri.EscapeDataString(Settings.Secret!)}";
        metrics.WeComTokenFetched();
        var root = await SendAsync("gettoken", ReadClient, query, body: null, ct);
        var errCode = (int)WeComJson.Long(root, "errcode");
        var token = WeComJson.String(root, "access_token");
        if (errCode != 0 || string.IsNullOrEmpty(token))
        {
            throw new WeComApiException("gettoken", errCode == 0 ? -1 : errCode, WeComJson.String(root, "errmsg") ?? "no access_token");
        }

        logger.LogInformation("WeCom access token fetched for corp {CorpId}", Settings.CorpId);
        return (token, (int)Math.Clamp(WeComJson.Long(root, "expires_in"), 60, 7200));
    }

    private async Task<JsonElement> SendAsync(string api, string client, string pathAndQuery, object? body, CancellationToken ct)
    {
        var http = httpClients.CreateClient(client);
        try
        {
            using var response = body is null
                ? await http.GetAsync(pathAndQuery, ct)
                : await http.PostAsJsonAsync(pathAndQuery, body, _json, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new WeComApiUnavailableException(api, new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            var root = document.RootElement.Clone();
            var errCode = WeComJson.Long(root, "errcode");
            metrics.WeComApiCall(api, errCode == 0 ? "ok" : errCode.ToString(CultureInfo.InvariantCulture));
            return root;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or JsonException
                                      || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            metrics.WeComApiCall(api, "transport");
            throw new WeComApiUnavailableException(api, e);
        }
        catch (WeComApiUnavailableException)
        {
            metrics.WeComApiCall(api, "transport"); // an HTTP error status
            throw;
        }
    }
}
