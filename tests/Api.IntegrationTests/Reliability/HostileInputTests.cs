using System.Net;
using System.Text;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Api.IntegrationTests.Reliability;

/// <summary>
/// Hostile input at every door: each case gets its documented 4xx (or is acknowledged and ignored), never a 500,
/// and leaves nothing stored that should not be.
/// </summary>
[TestFixture]
[Category("Reliability")]
public sealed class HostileInputTests
{
    private const string QuoteNumber = "CIS-20261122-0001";

    private CrmApiFactory _factory = null!;
    private WeComCallbackClient _wecom = null!;
    private HttpClient _api = null!;
    private Guid _quoteId;

    private static long Now => new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory()).With("WeCom:Simulation:Enabled", "true");
        _api = _factory.CreateClientAs("admin", "manager", "sales");
        _wecom = new WeComCallbackClient(_factory);
        var quote = await HttpAssert.OkJsonAsync(
            await _api.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "ACME", amount = 1m, currency = "CNY" }), HttpStatusCode.Created);
        _quoteId = quote.GetProperty("id").GetGuid();
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    public static IEnumerable<TestCaseData> RefusedCallbacks()
    {
        var message = WeComMessages.OpenApprovalChange(QuoteNumber, 1, Now);
        yield return Case("wrong receiveid", c => c.PostAsync(message, receiveId: "wx_not_us"));
        yield return Case("replayed timestamp (an hour old)", c => c.PostAsync(message, timestamp: (Now - 3600).ToString()));
        yield return Case("timestamp from the future", c => c.PostAsync(message, timestamp: (Now + 3600).ToString()));
        yield return Case("timestamp not a number", c => c.PostAsync(message, timestamp: "12ab"));
        yield return Case("timestamp huge", c => c.PostAsync(message, timestamp: "99999999999999999999999"));
        yield return Case("bad base64", c => c.PostSignedAsync("%%%not-base64%%%"));
        yield return Case("ciphertext not whole blocks", c => c.PostSignedAsync(Convert.ToBase64String(new byte[33])));
        yield return Case("empty ciphertext", c => c.PostSignedAsync("===="));
        yield return Case("pad byte zero", c => c.PostSignedAsync(Padded(message, padValue: 0)));
        yield return Case("pad byte 33", c => c.PostSignedAsync(Padded(message, padValue: 33)));
        yield return Case("pad bytes disagree", c => c.PostSignedAsync(Padded(message, padValue: null)));
        yield return Case("length prefix beyond the buffer", c => c.PostSignedAsync(Framed(message, declaredLength: int.MaxValue)));
        yield return Case("truncated frame (no room for a length prefix)", c => c.PostSignedAsync(
            WeComCallbackClient.RawEncrypt(Enumerable.Repeat((byte)32, 32).ToArray())));
        yield return Case("decrypted text is not XML", c => c.PostAsync("this is not xml"));
        yield return Case("decrypted XML with a DTD (XXE)", c => c.PostAsync(
            """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Event>&x;</Event></xml>"""));
        yield return Case("envelope with XXE", c => c.PostEnvelopeAsync(
            """<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>&x;</Encrypt></xml>""", "s", c.Now, "1"));
        yield return Case("envelope with entity expansion", c => c.PostEnvelopeAsync(
            """<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><Encrypt>&c;</Encrypt></xml>""", "s", c.Now, "1"));
        yield return Case("envelope not XML", c => c.PostEnvelopeAsync("{\"Encrypt\":\"x\"}", "s", c.Now, "1"));
        yield return Case("envelope without Encrypt", c => c.PostEnvelopeAsync("<xml><ToUserName>a</ToUserName></xml>", "s", c.Now, "1"));
        yield return Case("missing signature", c => c.PostEnvelopeAsync(WeComXml.BuildEnvelope("abcd", "a", "1"), "", c.Now, "1"));
    }

    [TestCaseSource(nameof(RefusedCallbacks))]
    public async Task Callback_IsRefusedWith400_AndNothingIsStored(Func<WeComCallbackClient, Task<HttpResponseMessage>> send)
    {
        var before = await CountsAsync();
        var response = await send(_wecom);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(await CountsAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Callback_OverTheBodyLimit_Is413()
    {
        var response = await _wecom.PostEnvelopeAsync("<xml><Encrypt>" + new string('A', 70_000) + "</Encrypt></xml>", "s", _wecom.Now, "1");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [TestCase("<xml><MsgType>event</MsgType><Event>change_contact</Event><CreateTime>1</CreateTime></xml>", TestName = "Callback_UnknownEvent_IsAcknowledgedAndIgnored")]
    [TestCase("<xml><MsgType>event</MsgType><Event>sys_approval_change</Event><CreateTime>99999999999999999999</CreateTime><ApprovalInfo><SpNo>1</SpNo><SpStatus>99999999999999999999</SpStatus></ApprovalInfo></xml>", TestName = "Callback_HugeNumbers_AreAcknowledgedAndChangeNothing")]
    [TestCase("<xml><MsgType>event</MsgType><Event>open_approval_change</Event><CreateTime>1</CreateTime><ApprovalInfo><ThirdNo>x' OR '1'='1</ThirdNo><OpenSpStatus>2</OpenSpStatus></ApprovalInfo></xml>", TestName = "Callback_SqlLookingThirdNo_IsUnmatched")]
    [TestCase("<xml><MsgType>event</MsgType><Event>open_approval_change</Event><CreateTime>1</CreateTime><ApprovalInfo><ThirdNo>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</ThirdNo><OpenSpStatus>2</OpenSpStatus></ApprovalInfo></xml>", TestName = "Callback_ForeignOverlongThirdNo_IsIgnoredNotFailed")]
    public async Task Callback_OddButWellFormed_IsAcknowledged(string message)
    {
        var response = await _wecom.PostAsync(message);
        await _factory.WaitForInboxAsync();

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("success"));
        var quote = await HttpAssert.OkJsonAsync(await _api.GetAsync($"/api/quotes/{_quoteId}"));
        Assert.That(quote.GetProperty("status").GetString(), Is.EqualTo("draft"));
        Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync(m => m.Status == InboxStatus.Failed)), Is.Zero);
    }

    [TestCase("GET", "/wecom/callback")]
    [TestCase("GET", "/wecom/callback?msg_signature=x&timestamp=1&nonce=2&echostr=%%%")]
    public async Task VerifyUrl_WithMissingOrBadParameters_Is400(string method, string url)
    {
        var response = await _api.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    public static IEnumerable<TestCaseData> InvalidJsonRoutes()
    {
        foreach (var route in new[] { "/api/quotes", "/api/quotes/{id}/submit-approval", "/api/v1/wecom-callback/simulate-approval" })
        {
            foreach (var (name, body) in new[]
                     {
                         ("truncated", "{\"title\": \"a"), ("not an object", "[1,2,3]"), ("null", "null"), ("wrong types", "{\"amount\": {\"x\": 1}, \"quote_number\": 5, \"approverUserIds\": 7}"),
                         ("nested 200 deep", new string('[', 200) + new string(']', 200)),
                     })
            {
                if (name == "null" && route.EndsWith("submit-approval", StringComparison.Ordinal))
                {
                    continue; // its body is optional: null is "no body"
                }

                yield return new TestCaseData(route, body).SetName($"InvalidJson_{name.Replace(' ', '_')}_On{route.Replace('/', '_')}");
            }
        }
    }

    [TestCaseSource(nameof(InvalidJsonRoutes))]
    public async Task InvalidJson_OnEveryRoute_Is400ProblemDetails(string route, string body)
    {
        var before = await CountsAsync();
        var response = await _api.PostAsync(route.Replace("{id}", _quoteId.ToString()), new StringContent(body, Encoding.UTF8, "application/json"));

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(await response.Content.ReadAsStringAsync(),
            Does.Not.Contain("Command").And.Not.Contain("Request ").And.Not.Contain("System.").And.Not.Contain("parameter"),
            "the client's terms (JSON paths), not our types");
        Assert.That(await CountsAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task SqlLookingText_IsStoredVerbatim()
    {
        const string title = "Robert'); DROP TABLE quotes;--";
        var created = await HttpAssert.OkJsonAsync(
            await _api.PostJsonAsync("/api/quotes", new { title, customerName = "x' OR '1'='1", amount = 1m, currency = "CNY" }), HttpStatusCode.Created);
        var search = await HttpAssert.OkJsonAsync(await _api.GetAsync("/api/quotes?number=%27%20OR%201%3D1%20--"));

        Assert.That(created.GetProperty("title").GetString(), Is.EqualTo(title));
        Assert.That(search.GetProperty("totalCount").GetInt32(), Is.Zero);
    }

    [TestCase("{\"title\":\"a\",\"customerName\":\"b\",\"amount\":1e400,\"currency\":\"CNY\"}")]
    [TestCase("{\"title\":\"a\",\"customerName\":\"b\",\"amount\":99999999999999999999999999999,\"currency\":\"CNY\"}")]
    [TestCase("{\"title\":\"a\",\"customerName\":\"b\",\"amount\":0.001,\"currency\":\"CNY\"}")]
    public async Task HugeOrOddAmounts_Are400(string body)
    {
        var response = await _api.PostAsync("/api/quotes", new StringContent(body, Encoding.UTF8, "application/json"));
        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task WrongContentType_Is415()
    {
        var response = await _api.PostAsync("/api/quotes", new StringContent("title=a", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await HttpAssert.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [TestCase("/api/quotes?number=99999999999999999999999999999999999999999999999999999999999")]
    [TestCase("/api/quotes?page=2147483647")]
    [TestCase("/api/customers?page=2147483647")]
    [TestCase("/api/admin/wecom/inbox?page=2147483647")]
    public async Task OverlongOrHugeQueryValue_Is400(string url)
    {
        var response = await _api.GetAsync(url);
        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    private static TestCaseData Case(string name, Func<WeComCallbackClient, Task<HttpResponseMessage>> send) =>
        new TestCaseData(send).SetName("Callback_" + name.Replace(' ', '_').Replace("(", "").Replace(")", ""));

    private static string Padded(string message, int? padValue)
    {
        var length = 20 + Encoding.UTF8.GetByteCount(message) + WeComCallbackClient.CorpId.Length;
        var padLength = 32 - (length % 32);
        var pad = Enumerable.Range(0, padLength).Select(i => (byte)(padValue ?? (i == 0 ? 3 : padLength))).ToArray();
        return WeComCallbackClient.RawEncrypt(WeComCallbackClient.Frame(message, WeComCallbackClient.CorpId, pad));
    }

    private static string Framed(string message, int declaredLength)
    {
        var length = 20 + Encoding.UTF8.GetByteCount(message) + WeComCallbackClient.CorpId.Length;
        var padLength = 32 - (length % 32);
        return WeComCallbackClient.RawEncrypt(WeComCallbackClient.Frame(message, WeComCallbackClient.CorpId,
            Enumerable.Repeat((byte)padLength, padLength).ToArray(), declaredLength));
    }

    private Task<(int Inbox, int Timeline, int Quotes)> CountsAsync() =>
        _factory.WithDbAsync(async db => (await db.Inbox.CountAsync(), await db.Timeline.CountAsync(), await db.Quotes.CountAsync()));
}
