using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CrmIntegration.Simulator;
using CrmIntegration.Simulator.State;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Api.IntegrationTests.Simulator;

/// <summary>The simulator against its own documented behaviour, over real HTTP (docs/wecom.md §4-5, docs/wechat-miniprogram.md §1-4).</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class SimulatorTests
{
    private const string Template = "tpl-quote";
    private const string ApplyEvent = "/cgi-bin/oa/applyevent";
    private static readonly DateTimeOffset _start = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    [Test]
    public async Task ApplyEvent_ThenGetApprovalDetail_RoundTripsTheForm()
    {
        await using var sim = await Sim.StartAsync();
        var token = await sim.TokenAsync();
        Assert.That(token, Has.Length.GreaterThanOrEqualTo(32));

        var created = await sim.PostAsync($"{ApplyEvent}?access_token={token}", ApplyBody());
        Assert.That(created.GetProperty("errcode").GetInt32(), Is.Zero, created.ToString());
        var spNo = created.GetProperty("sp_no").GetString();
        Assert.That(spNo, Is.EqualTo("202611220001"));

        var detail = await sim.PostAsync($"/cgi-bin/oa/getapprovaldetail?access_token={token}", new JsonObject { ["sp_no"] = spNo });
        var info = detail.GetProperty("info");
        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("errcode").GetInt32(), Is.Zero);
            Assert.That(info.GetProperty("sp_status").GetInt32(), Is.EqualTo(ApprovalStatus.Pending));
            Assert.That(info.GetProperty("template_id").GetString(), Is.EqualTo(Template));
            Assert.That(info.GetProperty("apply_time").GetInt64(), Is.EqualTo(_start.ToUnixTimeSeconds()));
            Assert.That(info.GetProperty("applyer").GetProperty("userid").GetString(), Is.EqualTo("WangXiaoMing"));
            Assert.That(info.GetProperty("sp_record")[0].GetProperty("details")[0].GetProperty("approver").GetProperty("userid").GetString(),
                Is.EqualTo("LiuXiaoGang"));
            Assert.That(info.GetProperty("apply_data").GetProperty("contents")[0].GetProperty("value").GetProperty("text").GetString(),
                Is.EqualTo("CIS-20261122-0001"));
            Assert.That(sim.State.FindApproval(spNo!)!.ControlValue("Text-QuoteNo"), Is.EqualTo("CIS-20261122-0001"));
            Assert.That(sim.State.Counters().CorpTokenFetches, Is.EqualTo(1));
            Assert.That(sim.State.Counters().CallsTo(ApplyEvent), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetToken_WithWrongSecret_Returns40001()
    {
        await using var sim = await Sim.StartAsync();
        var answer = await sim.GetAsync($"/cgi-bin/gettoken?corpid={sim.Settings.CorpId}&corpsecret=wrong");
        Assert.Multiple(() =>
        {
            Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(40001));
            Assert.That(answer.TryGetProperty("access_token", out _), Is.False);
            Assert.That(sim.State.Counters().CorpTokenFetches, Is.Zero);
        });
    }

    [TestCase("none", 41001)]
    [TestCase("unknown", 40014)]
    [TestCase("revoked", 42001)]
    [TestCase("expired", 42001)]
    public async Task ApplyEvent_WithUnusableToken_ReturnsTokenError(string kind, int errcode)
    {
        await using var sim = await Sim.StartAsync();
        var token = await sim.TokenAsync();
        switch (kind)
        {
            case "revoked":
                sim.State.RevokeCorpToken();
                break;
            case "expired":
                sim.Clock.Advance(TimeSpan.FromSeconds(7200));
                break;
        }

        var url = kind switch { "none" => ApplyEvent, "unknown" => $"{ApplyEvent}?access_token=x{token}", _ => $"{ApplyEvent}?access_token={token}" };
        var answer = await sim.PostAsync(url, ApplyBody());

        Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(errcode), answer.ToString());
        Assert.That(sim.State.Approvals(), Is.Empty);
    }

    [Test]
    public async Task ApplyEvent_WithNotifyTypeZero_Returns301025()
    {
        await using var sim = await Sim.StartAsync();
        var body = ApplyBody();
        body["notify_type"] = 0;

        var answer = await sim.PostAsync($"{ApplyEvent}?access_token={await sim.TokenAsync()}", body);

        Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(301025));
        Assert.That(answer.GetProperty("errmsg").GetString(), Does.StartWith("get approval param error:notify_type"));
        Assert.That(sim.State.Approvals(), Is.Empty);
    }

    [Test]
    public async Task ApplyEvent_WithUnknownTemplate_Returns301025()
    {
        await using var sim = await Sim.StartAsync();
        var body = ApplyBody();
        body["template_id"] = "someone-elses-template";

        var answer = await sim.PostAsync($"{ApplyEvent}?access_token={await sim.TokenAsync()}", body);

        Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(301025));
    }

    [Test]
    public async Task GetApprovalInfo_WithPageSizeTwo_FollowsNewNextCursorThroughEveryForm()
    {
        await using var sim = await Sim.StartAsync();
        var expected = Enumerable.Range(0, 5)
            .Select(i => sim.State.SubmitApproval("WangXiaoMing", applyTime: _start.AddMinutes(-10 + i)).SpNo).ToList();
        sim.State.SubmitApproval("WangXiaoMing", applyTime: _start.AddDays(-40)); // outside the window
        var token = await sim.TokenAsync();

        var seen = new List<string>();
        var cursor = "";
        var pages = 0;
        while (true)
        {
            var page = await sim.PostAsync($"/cgi-bin/oa/getapprovalinfo?access_token={token}", new JsonObject
            {
                ["starttime"] = _start.AddDays(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), // strings…
                ["endtime"] = _start.ToUnixTimeSeconds(),                                                    // …or numbers
                ["new_cursor"] = cursor,
                ["size"] = 2,
            });
            Assert.That(page.GetProperty("errcode").GetInt32(), Is.Zero, page.ToString());
            pages++;
            seen.AddRange(page.GetProperty("sp_no_list").EnumerateArray().Select(e => e.GetString()!));
            if (!page.TryGetProperty("new_next_cursor", out var next))
            {
                break;
            }

            cursor = next.GetString()!;
        }

        Assert.That(seen, Is.EqualTo(expected));
        Assert.That(pages, Is.EqualTo(3));
    }

    [TestCase(1_795_000_000_000L, 1_795_000_360_000L, TestName = "GetApprovalInfo_WithMilliseconds_Returns301025")]
    [TestCase(1_795_000_000L, 1_795_000_000L, TestName = "GetApprovalInfo_WithEndNotAfterStart_Returns301025")]
    [TestCase(1_795_000_000L, 1_795_000_000L + (31 * 86400) + 1, TestName = "GetApprovalInfo_WithSpanOver31Days_Returns301025")]
    public async Task GetApprovalInfo_WithBadWindow_Returns301025(long start, long end)
    {
        await using var sim = await Sim.StartAsync();
        var answer = await sim.PostAsync($"/cgi-bin/oa/getapprovalinfo?access_token={await sim.TokenAsync()}", new JsonObject
        {
            ["starttime"] = start.ToString(CultureInfo.InvariantCulture),
            ["endtime"] = end.ToString(CultureInfo.InvariantCulture),
            ["new_cursor"] = "",
            ["size"] = 100,
        });

        Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(301025));
        Assert.That(answer.GetProperty("errmsg").GetString(), Does.StartWith("invalid starttime or endtime"));
    }

    [Test]
    public async Task GetApprovalInfo_WithFilters_AndsAcrossKeys()
    {
        await using var sim = await Sim.StartAsync();
        var mine = sim.State.SubmitApproval("WangXiaoMing", applyTime: _start.AddMinutes(-3)).SpNo;
        var approved = sim.State.SubmitApproval("WangXiaoMing", applyTime: _start.AddMinutes(-2)).SpNo;
        sim.State.SubmitApproval("ZhangSan", applyTime: _start.AddMinutes(-1));
        await sim.State.ApproveAsync(approved);

        var answer = await sim.PostAsync($"/cgi-bin/oa/getapprovalinfo?access_token={await sim.TokenAsync()}", new JsonObject
        {
            ["starttime"] = _start.AddHours(-1).ToUnixTimeSeconds(),
            ["endtime"] = _start.ToUnixTimeSeconds(),
            ["new_cursor"] = "",
            ["size"] = 100,
            ["filters"] = new JsonArray(
                new JsonObject { ["key"] = "template_id", ["value"] = Template },
                new JsonObject { ["key"] = "creator", ["value"] = "WangXiaoMing" },
                new JsonObject { ["key"] = "sp_status", ["value"] = "1" }),
        });

        Assert.That(answer.GetProperty("sp_no_list").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { mine }));
    }

    [Test]
    public async Task InjectedFault_42001_AnswersOnceThenTheCallSucceeds()
    {
        await using var sim = await Sim.StartAsync();
        var token = await sim.TokenAsync();
        var admin = await sim.Http.PostAsync("/_sim/faults", Json(new JsonObject { ["path"] = ApplyEvent, ["errcode"] = 42001, ["count"] = 1 }));
        Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var first = await sim.PostAsync($"{ApplyEvent}?access_token={token}", ApplyBody());
        var second = await sim.PostAsync($"{ApplyEvent}?access_token={token}", ApplyBody());

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("errcode").GetInt32(), Is.EqualTo(42001));
            Assert.That(second.GetProperty("errcode").GetInt32(), Is.Zero);
            Assert.That(sim.State.Approvals(), Has.Count.EqualTo(1));
            Assert.That(sim.State.Counters().CallsTo(ApplyEvent), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task InjectedFault_Http500AfterProcessing_CreatesTheFormButLosesTheAnswer()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.InjectFault(ApplyEvent, Fault.Http(500) with { AfterProcessing = true });

        using var response = await sim.Http.PostAsync($"{ApplyEvent}?access_token={await sim.TokenAsync()}", Json(ApplyBody()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(sim.State.Approvals().Select(a => a.SpNo), Is.EqualTo(new[] { "202611220001" }));
    }

    [Test]
    public async Task InjectedFault_Hang_OutlastsTheClientTimeout()
    {
        await using var sim = await Sim.StartAsync();
        using var impatient = new HttpClient { BaseAddress = sim.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var url = $"/cgi-bin/gettoken?corpid={sim.Settings.CorpId}&corpsecret={sim.Settings.CorpSecret}";
        using (var warm = await impatient.GetAsync(url))
        {
            Assert.That(warm.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same client answers in time without the fault");
        }

        sim.State.InjectFault("/cgi-bin/gettoken", Fault.Timeout());

        Assert.That(async () => await impatient.GetAsync(url), Throws.InstanceOf<TaskCanceledException>());
        using var after = await impatient.GetAsync(url);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "only the next call hangs");
    }

    [Test]
    public async Task Approve_PostsSignedEncryptedSysApprovalChange_WithSpStatus2()
    {
        await using var sim = await Sim.StartAsync();
        var spNo = (await sim.PostAsync($"{ApplyEvent}?access_token={await sim.TokenAsync()}", ApplyBody())).GetProperty("sp_no").GetString()!;
        sim.Clock.Advance(TimeSpan.FromMinutes(5));

        using var approve = await sim.Http.PostAsync($"/_sim/approvals/{spNo}/approve", null);

        Assert.That(approve.StatusCode, Is.EqualTo(HttpStatusCode.OK), await approve.Content.ReadAsStringAsync());
        var received = sim.Receiver.Received.Single();
        var xml = XElement.Parse(received.Plain);
        var info = xml.Element("ApprovalInfo")!;
        Assert.Multiple(() =>
        {
            Assert.That(received.Path, Is.EqualTo("/wecom/callback"));
            Assert.That(received.Approval!.EventName, Is.EqualTo("sys_approval_change"));
            Assert.That(received.Approval.SpNo, Is.EqualTo(spNo));
            Assert.That(received.Approval.Status, Is.EqualTo(ApprovalStatus.Approved));
            Assert.That(received.Approval.StatusChangeEvent, Is.EqualTo(ApprovalStatus.EventApproved));
            Assert.That(received.Approval.OccurredAt, Is.EqualTo(sim.Clock.GetUtcNow().AddTicks(-(sim.Clock.GetUtcNow().Ticks % TimeSpan.TicksPerSecond))));
            Assert.That(xml.Element("ToUserName")!.Value, Is.EqualTo(sim.Settings.CorpId));
            Assert.That(xml.Element("FromUserName")!.Value, Is.EqualTo("sys"));
            Assert.That(info.Element("SpRecord")!.Element("Details")!.Element("SpStatus")!.Value, Is.EqualTo("2"));
            Assert.That(received.Timestamp, Is.EqualTo(sim.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            Assert.That(sim.State.CallbackDeliveries.Single().Outcome, Is.EqualTo(CallbackOutcome.Delivered));
            Assert.That(sim.State.CallbackDeliveries.Single().ResponseBody, Is.EqualTo("success"));
            Assert.That(sim.State.FindApproval(spNo)!.SpStatus, Is.EqualTo(ApprovalStatus.Approved));
        });
    }

    [TestCase("reject", ApprovalStatus.Rejected, ApprovalStatus.EventRejected)]
    [TestCase("cancel", ApprovalStatus.Cancelled, ApprovalStatus.EventCancelled)]
    [TestCase("delete", ApprovalStatus.Deleted, ApprovalStatus.EventCancelled)]
    [TestCase("revoke", ApprovalStatus.RevokedAfterApproval, ApprovalStatus.EventRevokedAfterApproval)]
    public async Task StatusChange_SendsTheStatusAfterItAndTheAction(string action, int spStatus, int statuChangeEvent)
    {
        await using var sim = await Sim.StartAsync();
        var spNo = sim.State.SubmitApproval("WangXiaoMing").SpNo;
        if (action == "revoke")
        {
            await sim.State.ApproveAsync(spNo);
        }

        using var response = await sim.Http.PostAsync($"/_sim/approvals/{spNo}/{action}", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var last = sim.Receiver.Received[^1].Approval!;
        Assert.That((last.Status, last.StatusChangeEvent), Is.EqualTo((spStatus, statuChangeEvent)));
    }

    [Test]
    public async Task Approve_WhenAlreadyRejected_Answers409AndSendsNothing()
    {
        await using var sim = await Sim.StartAsync();
        var spNo = sim.State.SubmitApproval("WangXiaoMing").SpNo;
        await sim.State.RejectAsync(spNo);

        using var response = await sim.Http.PostAsync($"/_sim/approvals/{spNo}/approve", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(sim.Receiver.Received, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task DropNext_SwallowsOneCallback_ThenDeliveryResumes()
    {
        await using var sim = await Sim.StartAsync();
        var first = sim.State.SubmitApproval("WangXiaoMing").SpNo;
        var second = sim.State.SubmitApproval("WangXiaoMing").SpNo;
        using var drop = await sim.Http.PostAsync("/_sim/callbacks/drop?count=1", null);

        var dropped = await sim.State.ApproveAsync(first);
        await sim.State.ApproveAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(drop.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(dropped.Deliveries.Single().Outcome, Is.EqualTo(CallbackOutcome.Dropped));
            Assert.That(sim.Receiver.Received.Select(r => r.Approval!.SpNo), Is.EqualTo(new[] { second }));
            Assert.That(sim.State.FindApproval(first)!.SpStatus, Is.EqualTo(ApprovalStatus.Approved), "the form changed; only the callback is lost");
        });
    }

    [Test]
    public async Task DuplicateNext_DeliversTheSameCallbackTwice()
    {
        await using var sim = await Sim.StartAsync();
        var spNo = sim.State.SubmitApproval("WangXiaoMing").SpNo;
        sim.State.DuplicateNextCallbacks(1);

        var change = await sim.State.ApproveAsync(spNo);

        Assert.That(change.Deliveries.Select(d => d.Outcome), Is.EqualTo(new[] { CallbackOutcome.Delivered, CallbackOutcome.Delivered }));
        Assert.That(sim.Receiver.Received.Select(r => r.Plain).Distinct().Count(), Is.EqualTo(1));
        Assert.That(sim.Receiver.Received, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ReorderNext_DeliversTheHeldCallbackAfterTheNextOne()
    {
        await using var sim = await Sim.StartAsync();
        var spNo = sim.State.SubmitApproval("WangXiaoMing").SpNo;
        sim.State.ReorderNextCallback();

        var held = await sim.State.ApproveAsync(spNo);
        await sim.State.RevokeAsync(spNo);

        Assert.That(held.Deliveries.Single().Outcome, Is.EqualTo(CallbackOutcome.Held));
        Assert.That(sim.Receiver.Received.Select(r => r.Approval!.Status),
            Is.EqualTo(new[] { ApprovalStatus.RevokedAfterApproval, ApprovalStatus.Approved }));
    }

    [Test]
    public async Task Callback_WhenReceiverAnswers500_IsRetriedThreeTimes()
    {
        await using var sim = await Sim.StartAsync();
        sim.Receiver.AnswerStatus = HttpStatusCode.InternalServerError;

        var change = await sim.State.ApproveAsync(sim.State.SubmitApproval("WangXiaoMing").SpNo);

        Assert.That(change.Deliveries.Select(d => (d.Outcome, d.StatusCode)),
            Is.EqualTo(Enumerable.Repeat((CallbackOutcome.Rejected, (int?)500), 4)));
    }

    [Test]
    public async Task OpenApproval_StatusChange_SendsOpenApprovalChange_AndGetOpenApprovalDataFollows()
    {
        await using var sim = await Sim.StartAsync();
        using var created = await sim.Http.PostAsync("/_sim/open-approvals", Json(new JsonObject { ["thirdNo"] = "CIS-20261122-0007" }));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        using var changed = await sim.Http.PostAsync("/_sim/open-approvals/CIS-20261122-0007/status", Json(new JsonObject { ["status"] = 2 }));
        var data = await sim.PostAsync($"/cgi-bin/corp/getopenapprovaldata?access_token={await sim.TokenAsync()}",
            new JsonObject { ["thirdNo"] = "CIS-20261122-0007" });

        var received = sim.Receiver.Received.Single().Approval!;
        Assert.Multiple(() =>
        {
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(received.EventName, Is.EqualTo("open_approval_change"));
            Assert.That(received.ThirdNo, Is.EqualTo("CIS-20261122-0007"));
            Assert.That(received.Status, Is.EqualTo(2));
            Assert.That(data.GetProperty("data").GetProperty("ThirdNo").GetString(), Is.EqualTo("CIS-20261122-0007"));
            Assert.That(data.GetProperty("data").GetProperty("OpenSpstatus").GetInt32(), Is.EqualTo(2));
            Assert.That(data.GetProperty("data").GetProperty("ApprovalNodes").GetProperty("ApprovalNode")[0]
                .GetProperty("Items").GetProperty("Item")[0].GetProperty("ItemStatus").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task CallbackUrlCheck_AcceptsAVerbatimEcho_AndRefusesAnythingElse()
    {
        await using var sim = await Sim.StartAsync();
        using var good = await sim.Http.PostAsync("/_sim/callbacks/check", null);
        var goodCheck = await Read(good);
        sim.Receiver.EchoSuffix = "\n";
        var badCheck = await sim.State.CheckCallbackUrlAsync();

        Assert.Multiple(() =>
        {
            Assert.That(goodCheck.GetProperty("ok").GetBoolean(), Is.True, goodCheck.ToString());
            Assert.That(goodCheck.GetProperty("body").GetString(), Is.EqualTo(goodCheck.GetProperty("expected").GetString()));
            Assert.That(badCheck.Ok, Is.False);
            Assert.That(badCheck.StatusCode, Is.EqualTo(200));
        });
    }

    [Test]
    public async Task SendTestCallback_PostsASignedSysApprovalChange()
    {
        await using var sim = await Sim.StartAsync();
        using var response = await sim.Http.PostAsync("/_sim/callbacks/test", Json(new JsonObject()));

        var delivery = await Read(response);
        Assert.That(delivery.GetProperty("outcome").GetString(), Is.EqualTo("delivered"));
        Assert.That(sim.Receiver.Received.Single().Approval!.EventName, Is.EqualTo("sys_approval_change"));
    }

    [Test]
    public async Task StableToken_WithoutForceRefresh_ReturnsTheSameTokenTwice()
    {
        await using var sim = await Sim.StartAsync();
        var first = await sim.StableTokenAsync();
        sim.Clock.Advance(TimeSpan.FromSeconds(100));
        var second = await sim.StableTokenAsync();
        var wrong = await sim.PostAsync("/cgi-bin/stable_token", new JsonObject
        {
            ["grant_type"] = "client_credential", ["appid"] = sim.Settings.MiniProgram.AppId, ["secret"] = "wrong", ["force_refresh"] = false,
        });

        Assert.Multiple(() =>
        {
            Assert.That(second.GetProperty("access_token").GetString(), Is.EqualTo(first.GetProperty("access_token").GetString()));
            Assert.That(first.GetProperty("expires_in").GetInt32(), Is.EqualTo(7200));
            Assert.That(second.GetProperty("expires_in").GetInt32(), Is.EqualTo(7100));
            Assert.That(wrong.GetProperty("errcode").GetInt32(), Is.EqualTo(40125));
            Assert.That(sim.State.Counters().StableTokenFetches, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task InvokeCloudFunction_AnswersPerRecipientResultsInRespData()
    {
        await using var sim = await Sim.StartAsync();
        var token = (await sim.StableTokenAsync()).GetProperty("access_token").GetString();
        sim.State.ScriptOpenId("oRefuser", 43101);

        var answer = await sim.PostAsync($"/tcb/invokecloudfunction?access_token={token}&env=prod-1a2b3c&name=quickstartFunctions", new JsonObject
        {
            ["batchId"] = "B20261122-0001",
            ["templateId"] = "TPL-ASSIGN",
            ["recipients"] = new JsonArray(
                new JsonObject { ["openid"] = "oAlice", ["count"] = 12 },
                new JsonObject { ["openid"] = "oRefuser", ["count"] = 3 }),
            ["data"] = new JsonObject { ["thing1"] = new JsonObject { ["value"] = "新分配客户12位" } },
        });

        Assert.That(answer.GetProperty("errcode").GetInt32(), Is.Zero, answer.ToString());
        var resp = JsonDocument.Parse(answer.GetProperty("resp_data").GetString()!).RootElement;
        var results = resp.GetProperty("results").EnumerateArray().ToList();
        var message = sim.State.DeliveredMessages.Single();
        Assert.Multiple(() =>
        {
            Assert.That(resp.GetProperty("ok").GetBoolean(), Is.True);
            Assert.That(results[0].GetProperty("openid").GetString(), Is.EqualTo("oAlice"));
            Assert.That(results[0].GetProperty("errCode").GetInt32(), Is.Zero);
            Assert.That(results[0].GetProperty("msgid").GetString(), Is.EqualTo(message.MsgId));
            Assert.That(results[1].GetProperty("openid").GetString(), Is.EqualTo("oRefuser"));
            Assert.That(results[1].GetProperty("errCode").GetInt32(), Is.EqualTo(43101));
            Assert.That(results[1].GetProperty("errMsg").GetString(), Does.StartWith("openapi.subscribeMessage.send:fail"));
            Assert.That((message.Channel, message.OpenId, message.TemplateId), Is.EqualTo(("cloudfunction", "oAlice", "TPL-ASSIGN")));
            Assert.That(message.Data!["thing1"]!["value"]!.GetValue<string>(), Is.EqualTo("新分配客户12位"));
        });
    }

    [Test]
    public async Task InvokeCloudFunction_WithInjected504002_FailsTheWholeInvoke()
    {
        await using var sim = await Sim.StartAsync();
        var token = (await sim.StableTokenAsync()).GetProperty("access_token").GetString();
        sim.State.InjectFault("/tcb/invokecloudfunction", Fault.Error(-504002));

        var answer = await sim.PostAsync($"/tcb/invokecloudfunction?access_token={token}&env=e&name=f", new JsonObject { ["openid"] = "oAlice" });

        Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(-504002));
        Assert.That(answer.GetProperty("errmsg").GetString(), Does.Contain("rid: "));
        Assert.That(sim.State.DeliveredMessages, Is.Empty);
    }

    [Test]
    public async Task SubscribeSend_WithScripted43101_RefusesOnce_ThenDelivers()
    {
        await using var sim = await Sim.StartAsync();
        var token = (await sim.StableTokenAsync()).GetProperty("access_token").GetString();
        using var script = await sim.Http.PostAsync("/_sim/scripts/openid", Json(new JsonObject { ["openid"] = "oBob", ["errcode"] = 43101, ["count"] = 1 }));
        var body = new JsonObject
        {
            ["touser"] = "oBob",
            ["template_id"] = "TPL-ASSIGN",
            ["page"] = "pages/customers/detail?id=1",
            ["data"] = new JsonObject { ["thing1"] = new JsonObject { ["value"] = "张三（上海某某公司）" }, ["phrase3"] = new JsonObject { ["value"] = "待跟进" } },
        };

        var refused = await sim.PostAsync($"/cgi-bin/message/subscribe/send?access_token={token}", body);
        var sent = await sim.PostAsync($"/cgi-bin/message/subscribe/send?access_token={token}", body);

        Assert.Multiple(() =>
        {
            Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(refused.GetProperty("errcode").GetInt32(), Is.EqualTo(43101));
            Assert.That(refused.GetProperty("errmsg").GetString(), Does.StartWith("user refuse to accept the msg rid: "));
            Assert.That(sent.GetProperty("errcode").GetInt32(), Is.Zero);
            Assert.That(sent.GetProperty("msgid").GetInt64(), Is.Positive);
            Assert.That(sim.State.DeliveredMessages.Single().Page, Is.EqualTo("pages/customers/detail?id=1"));
        });
    }

    [Test]
    public async Task SubscribeSend_WithThingOver20Characters_Returns47003NamingTheKey()
    {
        await using var sim = await Sim.StartAsync();
        var token = (await sim.StableTokenAsync()).GetProperty("access_token").GetString();

        var answer = await sim.PostAsync($"/cgi-bin/message/subscribe/send?access_token={token}", new JsonObject
        {
            ["touser"] = "oBob",
            ["template_id"] = "TPL-ASSIGN",
            ["data"] = new JsonObject { ["thing1"] = new JsonObject { ["value"] = new string('客', 21) } },
        });

        Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(47003));
        Assert.That(answer.GetProperty("errmsg").GetString(), Does.Contain("data.thing1.value"));
    }

    [Test]
    public async Task Reset_ForgetsFormsTokensAndCounters()
    {
        await using var sim = await Sim.StartAsync();
        var token = await sim.TokenAsync();
        sim.State.SubmitApproval("WangXiaoMing");

        using var reset = await sim.Http.PostAsync("/_sim/reset", null);
        var answer = await sim.PostAsync($"{ApplyEvent}?access_token={token}", ApplyBody());

        Assert.Multiple(() =>
        {
            Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(40014));
            Assert.That(sim.State.Approvals(), Is.Empty);
            Assert.That(sim.State.Counters().CorpTokenFetches, Is.Zero);
        });
    }

    private static JsonObject ApplyBody() => new()
    {
        ["creator_userid"] = "WangXiaoMing",
        ["template_id"] = Template,
        ["use_template_approver"] = 1,
        ["notify_type"] = 1,
        ["apply_data"] = new JsonObject
        {
            ["contents"] = new JsonArray(
                new JsonObject { ["control"] = "Text", ["id"] = "Text-QuoteNo", ["value"] = new JsonObject { ["text"] = "CIS-20261122-0001" } },
                new JsonObject { ["control"] = "Money", ["id"] = "Money-Amount", ["value"] = new JsonObject { ["new_money"] = "700" } }),
        },
        ["summary_list"] = new JsonArray(new JsonObject
        {
            ["summary_info"] = new JsonArray(new JsonObject { ["text"] = "CIS-20261122-0001", ["lang"] = "zh_CN" }),
        }),
    };

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Created), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>One simulator on a real port, its callbacks routed into a <see cref="CallbackReceiver"/>.</summary>
    private sealed class Sim : IAsyncDisposable
    {
        private Sim(SimulatorHost host, CallbackReceiver receiver, FakeTimeProvider clock)
        {
            Host = host;
            Receiver = receiver;
            Clock = clock;
            Http = host.CreateClient();
        }

        public SimulatorHost Host { get; }

        public SimulatorState State => Host.State;

        public SimulatorSettings Settings => Host.Settings;

        public CallbackReceiver Receiver { get; }

        public FakeTimeProvider Clock { get; }

        public HttpClient Http { get; }

        public static async Task<Sim> StartAsync()
        {
            var settings = new SimulatorSettings
            {
                TemplateIds = [Template],
                CallbackUrl = "http://crm.test/wecom/callback",
                CallbackRetryDelayMilliseconds = 10,
                CallbackTimeoutMilliseconds = 2000,
            };
            var receiver = new CallbackReceiver(settings);
            var clock = new FakeTimeProvider(_start);
            return new Sim(await SimulatorHost.StartAsync(settings, receiver, clock), receiver, clock);
        }

        public async Task<string> TokenAsync()
        {
            var answer = await GetAsync($"/cgi-bin/gettoken?corpid={Settings.CorpId}&corpsecret={Settings.CorpSecret}");
            Assert.That(answer.GetProperty("errcode").GetInt32(), Is.Zero, answer.ToString());
            Assert.That(answer.GetProperty("expires_in").GetInt32(), Is.EqualTo(7200));
            return answer.GetProperty("access_token").GetString()!;
        }

        public Task<JsonElement> StableTokenAsync() => PostAsync("/cgi-bin/stable_token", new JsonObject
        {
            ["grant_type"] = "client_credential",
            ["appid"] = Settings.MiniProgram.AppId,
            ["secret"] = Settings.MiniProgram.AppSecret,
            ["force_refresh"] = false,
        });

        public async Task<JsonElement> GetAsync(string url) => await Read(await Http.GetAsync(url));

        public async Task<JsonElement> PostAsync(string url, JsonNode body) => await Read(await Http.PostAsync(url, Json(body)));

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Host.DisposeAsync();
            Receiver.Dispose();
        }
    }
}
