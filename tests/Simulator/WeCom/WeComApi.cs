using System.Globalization;
using System.Text.Json.Nodes;
using CrmIntegration.Simulator.State;

namespace CrmIntegration.Simulator.WeCom;

/// <summary>qyapi.weixin.qq.com, as docs/wecom.md §5 describes it. Errors are HTTP 200 with errcode/errmsg.</summary>
internal static class WeComApi
{
    private const int MaxWindowSeconds = 31 * 24 * 3600;
    private const int MaxPageSize = 100;
    private const string CursorPrefix = "simcur_";

    public static IEndpointRouteBuilder MapWeComApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cgi-bin/gettoken", GetToken);
        app.MapPost("/cgi-bin/oa/applyevent", ApplyEvent);
        app.MapPost("/cgi-bin/oa/getapprovaldetail", GetApprovalDetail);
        app.MapPost("/cgi-bin/oa/getapprovalinfo", GetApprovalInfo);
        app.MapPost("/cgi-bin/corp/getopenapprovaldata", GetOpenApprovalData);
        app.MapPost("/cgi-bin/oa/gettemplatedetail", GetTemplateDetail);
        return app;
    }

    /// <summary>
    /// oa/gettemplatedetail {template_id}: the template's names and its controls, each as
    /// {property: {control, id, title: [{text, lang}], placeholder, require, un_print}, config}. A template the
    /// simulator does not accept (Simulator:TemplateIds) is 301025, as applyevent answers it.
    /// </summary>
    private static async Task<IResult> GetTemplateDetail(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        if (CheckToken(context, state) is { } denied)
        {
            return denied;
        }

        var body = await WxJson.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return WxErrors.Result(path, WxErrors.DataFormatError, "data format error");
        }

        var settings = state.Settings;
        var templateId = WxJson.String(body["template_id"]);
        if (string.IsNullOrWhiteSpace(templateId)
            || (settings.TemplateIds.Count > 0 && !settings.TemplateIds.Contains(templateId, StringComparer.Ordinal)))
        {
            return ParamError(path, "get approval param error:template_id");
        }

        var controls = new JsonArray();
        foreach (var c in settings.EffectiveTemplateControls)
        {
            controls.Add(new JsonObject
            {
                ["property"] = new JsonObject
                {
                    ["control"] = c.Control,
                    ["id"] = c.Id,
                    ["title"] = new JsonArray(new JsonObject { ["text"] = c.Title, ["lang"] = "zh_CN" }),
                    ["placeholder"] = new JsonArray(new JsonObject { ["text"] = "", ["lang"] = "zh_CN" }),
                    ["require"] = c.Require ? 1 : 0,
                    ["un_print"] = 0,
                },
                ["config"] = new JsonObject(),
            });
        }

        var answer = WxErrors.Success();
        answer["template_names"] = new JsonArray(new JsonObject { ["text"] = settings.SpName, ["lang"] = "zh_CN" });
        answer["template_content"] = new JsonObject { ["controls"] = controls };
        return WxErrors.Ok(answer);
    }

    private static IResult GetToken(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        var corpId = context.Request.Query["corpid"].ToString();
        var secret = context.Request.Query["corpsecret"].ToString();
        if (!string.Equals(corpId, state.Settings.CorpId, StringComparison.Ordinal))
        {
            return WxErrors.Result(path, 40013, "invalid corpid");
        }

        if (!string.Equals(secret, state.Settings.CorpSecret, StringComparison.Ordinal))
        {
            return WxErrors.Result(path, WxErrors.InvalidCredential, "invalid credential");
        }

        var (token, expiresIn) = state.CorpTokens.Issue();
        var body = WxErrors.Success();
        body["access_token"] = token;
        body["expires_in"] = expiresIn;
        return WxErrors.Ok(body);
    }

    private static async Task<IResult> ApplyEvent(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        if (CheckToken(context, state) is { } denied)
        {
            return denied;
        }

        var body = await WxJson.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return WxErrors.Result(path, WxErrors.DataFormatError, "data format error");
        }

        var settings = state.Settings;
        var creator = WxJson.String(body["creator_userid"]);
        if (string.IsNullOrWhiteSpace(creator))
        {
            return ParamError(path, "get approval param error:creator_userid");
        }

        if (settings.UserIds.Count > 0 && !settings.UserIds.Contains(creator, StringComparer.Ordinal))
        {
            return ParamError(path, "creator_userid not in app visiable range");
        }

        var templateId = WxJson.String(body["template_id"]);
        if (string.IsNullOrWhiteSpace(templateId)
            || (settings.TemplateIds.Count > 0 && !settings.TemplateIds.Contains(templateId, StringComparer.Ordinal)))
        {
            return ParamError(path, "get approval param error:template_id");
        }

        var notifyType = body.ContainsKey("notify_type") ? WxJson.Long(body["notify_type"]) : 1;
        if (notifyType is not (1 or 2 or 3))
        {
            return ParamError(path, "get approval param error:notify_type");
        }

        if (body["apply_data"]?["contents"] is not JsonArray contents || contents.Count == 0)
        {
            return ParamError(path, "no applydata content");
        }

        var controlIds = contents.OfType<JsonObject>().Select(c => WxJson.String(c["id"])).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (settings.RequiredControlIds.FirstOrDefault(id => !controlIds.Contains(id)) is { } missing)
        {
            return ParamError(path, $"has no require control {missing}");
        }

        var summary = body["summary_list"] as JsonArray;
        if (summary is { Count: > 3 })
        {
            return ParamError(path, "summary_list can not exceed 3 lines");
        }

        var useTemplateApprover = WxJson.Long(body["use_template_approver"]) == 1;
        var (nodes, notifyers) = useTemplateApprover ? (TemplateFlow(settings), []) : FlowFromRequest(body);
        if (nodes.Count == 0)
        {
            return ParamError(path, "get approval param error:approver");
        }

        var approval = state.NewApproval(creator, templateId, contents.DeepClone().AsArray(), state.Now(), nodes, notifyers,
            (int)notifyType, summary?.DeepClone().AsArray());
        var answer = WxErrors.Success();
        answer["sp_no"] = approval.SpNo;
        return WxErrors.Ok(answer);
    }

    private static async Task<IResult> GetApprovalDetail(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        if (CheckToken(context, state) is { } denied)
        {
            return denied;
        }

        var body = await WxJson.ReadObjectAsync(context.Request, context.RequestAborted);
        var spNo = WxJson.String(body?["sp_no"]);
        if (string.IsNullOrWhiteSpace(spNo))
        {
            return ParamError(path, "get approval param error:sp_no");
        }

        var info = state.Read((approvals, _) => approvals.TryGetValue(spNo, out var a) ? Detail(a) : null);
        if (info is null)
        {
            return ParamError(path, "invalid sp_no");
        }

        var answer = WxErrors.Success();
        answer["info"] = info;
        return WxErrors.Ok(answer);
    }

    private static async Task<IResult> GetApprovalInfo(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        if (CheckToken(context, state) is { } denied)
        {
            return denied;
        }

        var body = await WxJson.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return WxErrors.Result(path, WxErrors.DataFormatError, "data format error");
        }

        var start = WxJson.Long(body["starttime"]);
        var end = WxJson.Long(body["endtime"]);
        // Milliseconds (13 digits) are the classic mistake: WeCom refuses them with the same message.
        if (start is null || end is null || start < 0 || end <= start || end - start > MaxWindowSeconds || end > 99_999_999_999)
        {
            return ParamError(path, "invalid starttime or endtime");
        }

        var size = body.ContainsKey("size") ? WxJson.Long(body["size"]) : MaxPageSize;
        if (size is null or < 1 or > MaxPageSize)
        {
            return ParamError(path, "invalid size");
        }

        var offset = 0;
        var cursor = WxJson.String(body["new_cursor"]) ?? "";
        if (cursor.Length > 0 && (!cursor.StartsWith(CursorPrefix, StringComparison.Ordinal)
            || !int.TryParse(cursor.AsSpan(CursorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            return ParamError(path, "invalid new_cursor");
        }

        // Keys AND; a repeated key ORs its values.
        var filters = (body["filters"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(f => (Key: WxJson.String(f["key"]) ?? "", Value: WxJson.String(f["value"]) ?? ""))
            .GroupBy(f => f.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Value).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        var matching = state.Read((approvals, _) => approvals.Values
            .Where(a => a.ApplyTime >= start && a.ApplyTime <= end && Matches(a, filters))
            .OrderBy(a => a.ApplyTime).ThenBy(a => a.SpNo, StringComparer.Ordinal)
            .Select(a => a.SpNo)
            .ToList());

        var page = matching.Skip(offset).Take((int)size).ToList();
        var answer = WxErrors.Success();
        answer["sp_no_list"] = new JsonArray([.. page.Select(n => (JsonNode)JsonValue.Create(n))]);
        if (offset + page.Count < matching.Count)
        {
            answer["new_next_cursor"] = CursorPrefix + (offset + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        return WxErrors.Ok(answer);
    }

    private static async Task<IResult> GetOpenApprovalData(HttpContext context, SimulatorState state)
    {
        var path = context.Request.Path.Value!;
        if (CheckToken(context, state) is { } denied)
        {
            return denied;
        }

        var body = await WxJson.ReadObjectAsync(context.Request, context.RequestAborted);
        var thirdNo = WxJson.String(body?["thirdNo"]);
        if (string.IsNullOrWhiteSpace(thirdNo))
        {
            return ParamError(path, "get approval param error:thirdNo");
        }

        var data = state.Read((_, open) => open.TryGetValue(thirdNo, out var o) ? OpenData(o) : null);
        if (data is null)
        {
            return ParamError(path, "invalid thirdNo");
        }

        var answer = WxErrors.Success();
        answer["data"] = data;
        return WxErrors.Ok(answer);
    }

    internal static IResult? CheckToken(HttpContext context, SimulatorState state, bool miniProgram = false)
    {
        var tokens = miniProgram ? state.MiniProgramTokens : state.CorpTokens;
        var code = WxErrors.CodeFor(tokens.Check(context.Request.Query["access_token"].ToString()));
        return code is null ? null : WxErrors.Result(context.Request.Path.Value!, code.Value);
    }

    private static IResult ParamError(string path, string message) => WxErrors.Result(path, WxErrors.ApprovalParamError, message);

    private static bool Matches(Approval a, Dictionary<string, HashSet<string>> filters)
    {
        foreach (var (key, values) in filters)
        {
            var ok = key switch
            {
                "template_id" => values.Contains(a.TemplateId),
                "creator" => values.Contains(a.Creator),
                "sp_status" => values.Contains(a.SpStatus.ToString(CultureInfo.InvariantCulture)),
                "department" => values.Contains(a.Party),
                _ => true, // record_type and unknown keys do not narrow the simulated corp
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static List<ApproverNode> TemplateFlow(SimulatorSettings settings) =>
        settings.EffectiveTemplateApprovers.Count == 0
            ? []
            : [new ApproverNode { Attr = 1, Details = [.. settings.EffectiveTemplateApprovers.Select(u => new ApproverDetail { UserId = u })] }];

    private static (List<ApproverNode> Nodes, List<string> Notifyers) FlowFromRequest(JsonObject body)
    {
        var nodes = new List<ApproverNode>();
        var notifyers = WxJson.Strings(body["notifyer"]).ToList();
        if (body["process"]?["node_list"] is JsonArray nodeList && nodeList.Count > 0)
        {
            foreach (var node in nodeList.OfType<JsonObject>())
            {
                var users = WxJson.Strings(node["userid"]).ToList();
                if (WxJson.Long(node["type"]) == 2)
                {
                    notifyers.AddRange(users);
                }
                else if (users.Count > 0)
                {
                    // apv_rel 1 会签 is ApproverAttr 2; 2 或签 is 1 (the enums are inverses, docs/wecom.md §4.1).
                    var attr = WxJson.Long(node["apv_rel"]) == 1 ? 2 : 1;
                    nodes.Add(new ApproverNode { Attr = attr, Details = [.. users.Select(u => new ApproverDetail { UserId = u })] });
                }
            }
        }
        else if (body["approver"] is JsonArray approvers)
        {
            foreach (var approver in approvers.OfType<JsonObject>())
            {
                var users = WxJson.Strings(approver["userid"]).ToList();
                if (users.Count > 0)
                {
                    nodes.Add(new ApproverNode
                    {
                        Attr = (int)(WxJson.Long(approver["attr"]) ?? 1),
                        Details = [.. users.Select(u => new ApproverDetail { UserId = u })],
                    });
                }
            }
        }

        return (nodes, notifyers);
    }

    private static JsonObject Detail(Approval a) => new()
    {
        ["sp_no"] = a.SpNo,
        ["sp_name"] = a.SpName,
        ["sp_status"] = a.SpStatus,
        ["template_id"] = a.TemplateId,
        ["apply_time"] = a.ApplyTime,
        ["applyer"] = new JsonObject { ["userid"] = a.Creator, ["partyid"] = a.Party },
        ["sp_record"] = new JsonArray([.. a.Nodes.Select(n => (JsonNode)new JsonObject
        {
            ["sp_status"] = n.Status,
            ["approverattr"] = n.Attr,
            ["details"] = new JsonArray([.. n.Details.Select(d => (JsonNode)new JsonObject
            {
                ["approver"] = new JsonObject { ["userid"] = d.UserId },
                ["speech"] = d.Speech,
                ["sp_status"] = d.Status,
                // As WeCom: "" while pending, a number once acted on (clients must read both).
                ["sptime"] = d.SpTime == 0 ? JsonValue.Create("") : JsonValue.Create(d.SpTime),
                ["media_id"] = new JsonArray(),
            })]),
        })]),
        ["notifyer"] = new JsonArray([.. a.Notifyers.Select(u => (JsonNode)new JsonObject { ["userid"] = u })]),
        ["comments"] = new JsonArray(),
        ["apply_data"] = new JsonObject { ["contents"] = a.Contents.DeepClone() },
    };

    // Keys as §5.4: they differ from the callback's (OpenSpstatus, ApplyUsername, ApproverStep), lists are XML-shaped.
    private static JsonObject OpenData(OpenApproval o) => new()
    {
        ["ThirdNo"] = o.ThirdNo,
        ["OpenTemplateId"] = o.OpenTemplateId,
        ["OpenSpName"] = o.OpenSpName,
        ["OpenSpstatus"] = o.Status,
        ["ApplyTime"] = o.ApplyTime,
        ["ApplyUsername"] = o.ApplyUserName,
        ["ApplyUserParty"] = o.ApplyUserParty,
        ["ApplyUserImage"] = "http://www.qq.com/xxx.png",
        ["ApplyUserId"] = o.ApplyUserId,
        ["ApprovalNodes"] = new JsonObject
        {
            ["ApprovalNode"] = new JsonArray(new JsonObject
            {
                ["NodeStatus"] = o.ApproverStatus,
                ["NodeAttr"] = 1,
                ["NodeType"] = 1,
                ["Items"] = new JsonObject
                {
                    ["Item"] = new JsonArray(new JsonObject
                    {
                        ["ItemName"] = o.ApproverUserId,
                        ["ItemParty"] = "产品部",
                        ["ItemImage"] = "http://www.qq.com/xxx.png",
                        ["ItemUserId"] = o.ApproverUserId,
                        ["ItemStatus"] = o.ApproverStatus,
                        ["ItemSpeech"] = "",
                        ["ItemOpTime"] = o.ApproverOpTime,
                    }),
                },
            }),
        },
        ["NotifyNodes"] = new JsonObject { ["NotifyNode"] = new JsonArray() },
        ["ApproverStep"] = o.ApproverStep,
    };
}
