using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>
/// Plays api.weixin.qq.com for the typed client: stable_token, tcb/invokecloudfunction (answering per
/// recipient in resp_data, as samples/cloudfunctions/quickstartFunctions does) and subscribe/send.
/// Scripted answers apply to the next sends, in order; per-openid codes play the function's per-recipient results.
/// </summary>
public sealed class FakeWeChat : HttpMessageHandler
{
    private readonly ConcurrentQueue<Step> _script = new();
    private readonly ConcurrentDictionary<string, int> _codeByOpenId = new();
    private readonly object _gate = new();
    private readonly List<JsonObject> _delivered = [];
    private readonly List<JsonObject> _requests = [];
    private long _msgId = 1_988_810_812_324_364_000;
    private int _tokenVersion = 1;

    public enum Kind
    {
        Ok,
        Down,
        ErrCode,
        Slow,
        Timeout,
        Hold,

        /// <summary>The function runs and delivers, but answers in a shape without per-recipient results.</summary>
        RanWithoutResults,
    }

    public int TokenFetches { get; private set; }

    /// <summary>Every send request seen (events or direct bodies), whatever the answer.</summary>
    public IReadOnlyList<JsonObject> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Each message the fake accepted (errcode 0): the recipient's openid, page and data.</summary>
    public IReadOnlyList<JsonObject> Delivered
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered];
            }
        }
    }

    public IEnumerable<string> DeliveredOpenIds => Delivered.Select(d => d["openid"]!.GetValue<string>());

    /// <summary>Released by the test for a <see cref="Kind.Hold"/> step.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Signalled when a held request has arrived.</summary>
    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeWeChat Then(Kind kind, int code = 0)
    {
        _script.Enqueue(new Step(kind, code));
        return this;
    }

    public FakeWeChat Answer(string openId, int code)
    {
        _codeByOpenId[openId] = code;
        return this;
    }

    /// <summary>The live token changes: the cached one now draws 40001 until fetched again.</summary>
    public void RotateToken() => Interlocked.Increment(ref _tokenVersion);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        if (path == "/cgi-bin/stable_token")
        {
            var tokenRequest = JsonNode.Parse(body)!.AsObject();
            Assert.That(tokenRequest["force_refresh"]!.GetValue<bool>(), Is.False, "stable_token must not force a refresh");
            TokenFetches++;
            return Json(new JsonObject { ["access_token"] = Token, ["expires_in"] = 7200 });
        }

        var query = HttpUtility.ParseQueryString(request.RequestUri.Query);
        var sent = JsonNode.Parse(body)!.AsObject();
        lock (_gate)
        {
            _requests.Add(sent);
        }

        var step = _script.TryDequeue(out var next) ? next : new Step(Kind.Ok, 0);
        switch (step.Kind)
        {
            case Kind.Down:
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            case Kind.Timeout:
                throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout elapsing.", new TimeoutException());
            case Kind.Slow:
                await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
                break;
            case Kind.Hold:
                Held.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
                break;
            case Kind.ErrCode:
                return Json(new JsonObject { ["errcode"] = step.Code, ["errmsg"] = $"scripted error rid: {Guid.NewGuid():N}" });
        }

        if (query["access_token"] != Token)
        {
            return Json(new JsonObject { ["errcode"] = 40001, ["errmsg"] = "invalid credential, access_token is invalid or not latest rid: x" });
        }

        return path switch
        {
            "/tcb/invokecloudfunction" when sent["action"]?.GetValue<string>() == "ping" => Json(new JsonObject
            {
                ["errcode"] = 0, ["errmsg"] = "ok", ["resp_data"] = "{\"ok\":true,\"action\":\"ping\",\"version\":\"1.1.0\"}",
            }),
            "/tcb/invokecloudfunction" when step.Kind == Kind.RanWithoutResults => RunWithoutResults(sent),
            "/tcb/invokecloudfunction" => InvokeCloudFunction(sent, query),
            "/cgi-bin/message/subscribe/send" => SubscribeSend(sent),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
    }

    protected override void Dispose(bool disposing)
    {
        // The factory rotates handlers; this one lives as long as the test.
    }

    private string Token => $"ACCESS_TOKEN_{Volatile.Read(ref _tokenVersion)}";

    private HttpResponseMessage InvokeCloudFunction(JsonObject sent, System.Collections.Specialized.NameValueCollection query)
    {
        Assert.That(query["env"], Is.Not.Empty);
        Assert.That(query["name"], Is.EqualTo("quickstartFunctions"));
        var results = new JsonArray();
        foreach (var recipient in sent["recipients"]!.AsArray().OfType<JsonObject>())
        {
            var openId = recipient["openid"]!.GetValue<string>();
            var code = _codeByOpenId.GetValueOrDefault(openId);
            var result = new JsonObject { ["id"] = recipient["id"]!.GetValue<string>(), ["openid"] = openId, ["errCode"] = code };
            if (code == 0)
            {
                result["msgid"] = Interlocked.Increment(ref _msgId).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Deliver(new JsonObject { ["openid"] = openId, ["page"] = recipient["page"]!.DeepClone(), ["data"] = recipient["data"]!.DeepClone() });
            }
            else
            {
                result["errMsg"] = $"openapi.subscribeMessage.send:fail {code} rid: x";
            }

            results.Add(result);
        }

        var respData = new JsonObject { ["ok"] = true, ["results"] = results }.ToJsonString();
        return Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["resp_data"] = respData });
    }

    // As the seed system's own quickstartFunctions answers: it sent the messages and says only that it did.
    private HttpResponseMessage RunWithoutResults(JsonObject sent)
    {
        foreach (var recipient in sent["recipients"]!.AsArray().OfType<JsonObject>())
        {
            Deliver(new JsonObject { ["openid"] = recipient["openid"]!.DeepClone(), ["page"] = recipient["page"]!.DeepClone(), ["data"] = recipient["data"]!.DeepClone() });
        }

        return Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["resp_data"] = "{\"success\":true}" });
    }

    private HttpResponseMessage SubscribeSend(JsonObject sent)
    {
        var openId = sent["touser"]!.GetValue<string>();
        var code = _codeByOpenId.GetValueOrDefault(openId);
        if (code != 0)
        {
            return Json(new JsonObject { ["errcode"] = code, ["errmsg"] = $"scripted {code} rid: x" });
        }

        Deliver(new JsonObject { ["openid"] = openId, ["page"] = sent["page"]!.DeepClone(), ["data"] = sent["data"]!.DeepClone() });
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($$"""{"errcode":0,"errmsg":"ok","msgid":{{Interlocked.Increment(ref _msgId)}}}""", Encoding.UTF8, "application/json"),
        };
    }

    private void Deliver(JsonObject message)
    {
        lock (_gate)
        {
            _delivered.Add(message);
        }
    }

    private static HttpResponseMessage Json(JsonObject body) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };

    private sealed record Step(Kind Kind, int Code);
}
