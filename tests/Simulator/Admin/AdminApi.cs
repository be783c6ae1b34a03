using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CrmIntegration.Simulator.State;

namespace CrmIntegration.Simulator.Admin;

/// <summary>The control panel over HTTP: everything <see cref="SimulatorState"/> offers, as JSON under /_sim.</summary>
internal static class AdminApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup("/_sim").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (SimulatorException e)
            {
                return Results.Problem(e.Message, statusCode: e.StatusCode);
            }
        });

        sim.MapGet("/", Index);

        sim.MapGet("/approvals", (SimulatorState s) => Out(s.Approvals()));
        sim.MapGet("/approvals/{spNo}", (string spNo, SimulatorState s) =>
            s.FindApproval(spNo) is { } a ? Out(a) : Results.Problem($"No approval {spNo}.", statusCode: 404));
        sim.MapPost("/approvals", CreateApproval);
        sim.MapPost("/approvals/{spNo}/approve", async (string spNo, string? speech, int? statuChangeEvent, SimulatorState s) =>
            Out(await s.ApproveAsync(spNo, speech ?? "", statuChangeEvent)));
        sim.MapPost("/approvals/{spNo}/reject", async (string spNo, string? speech, int? statuChangeEvent, SimulatorState s) =>
            Out(await s.RejectAsync(spNo, speech ?? "", statuChangeEvent)));
        sim.MapPost("/approvals/{spNo}/revoke", async (string spNo, int? statuChangeEvent, SimulatorState s) =>
            Out(await s.RevokeAsync(spNo, statuChangeEvent)));
        sim.MapPost("/approvals/{spNo}/cancel", async (string spNo, int? statuChangeEvent, SimulatorState s) =>
            Out(await s.CancelAsync(spNo, statuChangeEvent)));
        sim.MapPost("/approvals/{spNo}/delete", async (string spNo, int? statuChangeEvent, SimulatorState s) =>
            Out(await s.DeleteAsync(spNo, statuChangeEvent)));

        sim.MapGet("/open-approvals", (SimulatorState s) => Out(s.OpenApprovals()));
        sim.MapGet("/open-approvals/{thirdNo}", (string thirdNo, SimulatorState s) =>
            s.FindOpenApproval(thirdNo) is { } o ? Out(o) : Results.Problem($"No open approval {thirdNo}.", statusCode: 404));
        sim.MapPost("/open-approvals", CreateOpenApproval);
        sim.MapPost("/open-approvals/{thirdNo}/status", ChangeOpenApproval);

        sim.MapGet("/callbacks", (SimulatorState s) => Out(s.CallbackDeliveries));
        sim.MapGet("/callbacks/switches", (SimulatorState s) => Out(new { s.CallbackSwitches, callbackUrl = s.CallbackUrl }));
        sim.MapPost("/callbacks/drop", (int? count, SimulatorState s) => Switch(s, () => s.DropNextCallbacks(count ?? 1)));
        sim.MapPost("/callbacks/duplicate", (int? count, SimulatorState s) => Switch(s, () => s.DuplicateNextCallbacks(count ?? 1)));
        sim.MapPost("/callbacks/delay", (int? milliseconds, SimulatorState s) => Switch(s, () => s.DelayCallbacks(milliseconds ?? 0)));
        sim.MapPost("/callbacks/reorder", (bool? on, SimulatorState s) => Switch(s, () => s.ReorderNextCallback(on ?? true)));
        sim.MapPost("/callbacks/flush", async (SimulatorState s) => Out(await s.FlushHeldCallbackAsync()));
        sim.MapPut("/callbacks/url", (string url, SimulatorState s) =>
        {
            s.CallbackUrl = ParseUrl(url) ?? throw new SimulatorException("url must be an absolute URL.", 400);
            return Out(new { callbackUrl = s.CallbackUrl });
        });
        sim.MapPost("/callbacks/check", async (string? url, SimulatorState s) => Out(await s.CheckCallbackUrlAsync(ParseUrl(url))));
        sim.MapPost("/callbacks/test", SendTestCallback);

        sim.MapPost("/faults", InjectFault);
        sim.MapDelete("/faults", (SimulatorState s) =>
        {
            s.ClearFaults();
            return Results.NoContent();
        });
        sim.MapPost("/scripts/openid", ScriptOpenId);
        sim.MapPost("/tokens/revoke", (string? app, SimulatorState s) =>
        {
            if (string.Equals(app, "miniprogram", StringComparison.OrdinalIgnoreCase))
            {
                s.RevokeMiniProgramToken();
            }
            else
            {
                s.RevokeCorpToken();
            }

            return Results.NoContent();
        });

        sim.MapGet("/counters", (SimulatorState s) => Out(s.Counters()));
        sim.MapGet("/messages", (string? openid, SimulatorState s) =>
            Out(s.DeliveredMessages.Where(m => openid is null || string.Equals(m.OpenId, openid, StringComparison.Ordinal))));
        sim.MapPost("/reset", (SimulatorState s) =>
        {
            s.Reset();
            return Results.NoContent();
        });
        return app;
    }

    private static IResult Out(object? value) => Results.Json(value, Json);

    private static IResult Switch(SimulatorState s, Action set)
    {
        set();
        return Out(s.CallbackSwitches);
    }

    private static Uri? ParseUrl(string? url) =>
        string.IsNullOrWhiteSpace(url) ? null
        : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri
        : throw new SimulatorException("url must be an absolute URL.", 400);

    private static IResult Index(SimulatorState s) => Out(new
    {
        simulator = "WeCom (qyapi.weixin.qq.com) + WeChat (api.weixin.qq.com)",
        corpId = s.Settings.CorpId,
        agentId = s.Settings.AgentId,
        templateIds = s.Settings.TemplateIds,
        miniProgramAppId = s.Settings.MiniProgram.AppId,
        callbackUrl = s.CallbackUrl,
        admin = new[]
        {
            "GET /_sim/approvals", "GET /_sim/approvals/{spNo}", "POST /_sim/approvals",
            "POST /_sim/approvals/{spNo}/approve|reject|revoke|cancel|delete",
            "GET /_sim/open-approvals", "POST /_sim/open-approvals", "POST /_sim/open-approvals/{thirdNo}/status",
            "GET /_sim/callbacks", "GET /_sim/callbacks/switches",
            "POST /_sim/callbacks/drop|duplicate|delay|reorder|flush", "PUT /_sim/callbacks/url",
            "POST /_sim/callbacks/check", "POST /_sim/callbacks/test",
            "POST /_sim/faults", "DELETE /_sim/faults", "POST /_sim/scripts/openid", "POST /_sim/tokens/revoke",
            "GET /_sim/counters", "GET /_sim/messages", "POST /_sim/reset",
        },
    });

    private static async Task<IResult> CreateApproval(HttpContext context, SimulatorState s)
    {
        var body = await RequireBodyAsync(context);
        var creator = WxJson.String(body["creator"]) ?? throw new SimulatorException("creator is required.", 400);
        var applyTime = WxJson.Long(body["applyTime"]) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
        var approvers = body["approvers"] is JsonArray list ? WxJson.Strings(list).ToList() : null;
        var created = s.SubmitApproval(creator, WxJson.String(body["templateId"]), body["contents"]?.DeepClone() as JsonArray, applyTime, approvers);
        return Results.Json(created, Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateOpenApproval(HttpContext context, SimulatorState s)
    {
        var body = await RequireBodyAsync(context);
        var thirdNo = WxJson.String(body["thirdNo"]) ?? throw new SimulatorException("thirdNo is required.", 400);
        var created = s.CreateOpenApproval(thirdNo, WxJson.String(body["applyUserId"]) ?? "WangXiaoMing",
            WxJson.String(body["approverUserId"]) ?? "LiuXiaoGang", WxJson.String(body["openTemplateId"]));
        return Results.Json(created, Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ChangeOpenApproval(string thirdNo, HttpContext context, SimulatorState s)
    {
        var body = await RequireBodyAsync(context);
        var status = WxJson.Long(body["status"]) ?? throw new SimulatorException("status (1-4) is required.", 400);
        return Out(await s.ChangeOpenApprovalAsync(thirdNo, (int)status));
    }

    private static async Task<IResult> SendTestCallback(HttpContext context, SimulatorState s)
    {
        var body = await WxJson.ReadObjectAsync(context.Request, context.RequestAborted) ?? [];
        return Out(await s.SendTestCallbackAsync(WxJson.String(body["xml"]), ParseUrl(WxJson.String(body["url"]))));
    }

    private static async Task<IResult> InjectFault(HttpContext context, SimulatorState s)
    {
        var body = await RequireBodyAsync(context);
        var path = WxJson.String(body["path"]) ?? throw new SimulatorException("path is required, e.g. /cgi-bin/oa/applyevent.", 400);
        var fault = new Fault(
            ErrCode: (int?)WxJson.Long(body["errcode"]),
            HttpStatus: (int?)WxJson.Long(body["httpStatus"]),
            Hang: body["hang"] is JsonValue h && h.TryGetValue<bool>(out var hang) && hang,
            DelayMilliseconds: (int)(WxJson.Long(body["delayMs"]) ?? 0),
            AfterProcessing: body["afterProcessing"] is JsonValue a && a.TryGetValue<bool>(out var after) && after);
        var count = (int)(WxJson.Long(body["count"]) ?? 1);
        s.InjectFault(path, fault, count);
        return Out(new { path, count, fault });
    }

    private static async Task<IResult> ScriptOpenId(HttpContext context, SimulatorState s)
    {
        var body = await RequireBodyAsync(context);
        var openId = WxJson.String(body["openid"]) ?? throw new SimulatorException("openid is required.", 400);
        var errCode = (int)(WxJson.Long(body["errcode"]) ?? 0);
        var count = (int)(WxJson.Long(body["count"]) ?? int.MaxValue);
        s.ScriptOpenId(openId, errCode, count);
        return Results.NoContent();
    }

    private static async Task<JsonObject> RequireBodyAsync(HttpContext context) =>
        await WxJson.ReadObjectAsync(context.Request, context.RequestAborted)
        ?? throw new SimulatorException("A JSON object body is required.", 400);
}
