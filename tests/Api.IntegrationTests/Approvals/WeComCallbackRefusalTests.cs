using System.Net;
using System.Text;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

/// <summary>Every refused callback answers 4xx naming WeCom's code, leaks no key, and stores nothing.</summary>
[TestFixture]
public sealed class WeComCallbackRefusalTests
{
    private CrmApiFactory _factory = null!;
    private WeComCallbackClient _wecom = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _wecom = new WeComCallbackClient(_factory);
    }

    [OneTimeTearDown]
    public void TearDown() => _factory.Dispose();

    private static string Message => WeComMessages.OpenApprovalChange("CIS-20261122-0001", 1, 1_795_000_000);

    [Test]
    public async Task BadSignature_IsRefused()
    {
        var crypto = new WeComCallbackCrypto(WeComCallbackClient.Token, WeComCallbackClient.EncodingAesKey, WeComCallbackClient.CorpId);
        var signed = crypto.EncryptAndSign(Message, _wecom.Now, "1");
        var forged = signed.MsgSignature[..^1] + (signed.MsgSignature[^1] == 'a' ? 'b' : 'a');
        await AssertRefusedAsync(_wecom.PostEnvelopeAsync(WeComXml.BuildEnvelope(signed.Encrypt, "x", "1"), forged, signed.Timestamp, "1"), -40001);
    }

    [Test]
    public Task WrongReceiveId_IsRefused() => AssertRefusedAsync(_wecom.PostAsync(Message, receiveId: "ww_someone_else"), -40005);

    [TestCase(-301)]
    [TestCase(301)]
    [TestCase(-86_400)]
    public Task TimestampOutsideTheWindow_IsRefused(int offsetSeconds) =>
        AssertRefusedAsync(_wecom.PostAsync(Message, timestamp: (_factory.Clock.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds).ToString()), -40001);

    [TestCase("not base64 at all!")]
    [TestCase("QUJD")] // valid base64, 3 bytes: not a whole AES block
    public Task BadBase64OrCiphertext_IsRefused(string encrypt) =>
        AssertRefusedAsync(_wecom.PostSignedAsync(encrypt), encrypt.Contains(' ') ? -40010 : -40007);

    [TestCase(0)]
    [TestCase(33)]
    public Task BadPadding_IsRefused(int padByte)
    {
        var frame = WeComCallbackClient.Frame(Message, WeComCallbackClient.CorpId, []);
        var padLength = 32 - (frame.Length % 32);
        var pad = Enumerable.Repeat((byte)padByte, padLength == 0 ? 32 : padLength).ToArray();
        var encrypt = WeComCallbackClient.RawEncrypt(WeComCallbackClient.Frame(Message, WeComCallbackClient.CorpId, pad));
        return AssertRefusedAsync(_wecom.PostSignedAsync(encrypt), -40007);
    }

    [Test]
    public Task LengthPrefixBeyondTheBuffer_IsRefused()
    {
        var unpadded = WeComCallbackClient.Frame(Message, WeComCallbackClient.CorpId, [], declaredLength: 1_000_000);
        var padLength = 32 - (unpadded.Length % 32);
        var frame = WeComCallbackClient.Frame(Message, WeComCallbackClient.CorpId,
            Enumerable.Repeat((byte)padLength, padLength).ToArray(), declaredLength: 1_000_000);
        return AssertRefusedAsync(_wecom.PostSignedAsync(WeComCallbackClient.RawEncrypt(frame)), -40008);
    }

    [TestCase("""<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>""")]
    [TestCase("""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><Encrypt>&lol3;</Encrypt></xml>""")]
    [TestCase("<xml><ToUserName>x</ToUserName></xml>")]
    [TestCase("<xml><Encrypt>abc")]
    [TestCase("")]
    public Task MalformedOrHostileEnvelope_IsRefused(string body) =>
        AssertRefusedAsync(_wecom.PostEnvelopeAsync(body, "sig", _wecom.Now, "1"), -40002);

    [Test]
    public async Task OneMegabyteBody_Is413()
    {
        var body = "<xml><Encrypt>" + new string('A', 1024 * 1024) + "</Encrypt></xml>";
        var response = await _wecom.PostEnvelopeAsync(body, "sig", _wecom.Now, "1");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        await AssertNothingStoredAsync();
    }

    private async Task AssertRefusedAsync(Task<HttpResponseMessage> send, int code)
    {
        var response = await send;
        var body = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain(code.ToString()));
            Assert.That(body, Does.Not.Contain(WeComCallbackClient.EncodingAesKey).And.Not.Contain(WeComCallbackClient.Token));
        }

        await AssertNothingStoredAsync();
    }

    private async Task AssertNothingStoredAsync()
    {
        Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.Zero);
        Assert.That(await _factory.WithDbAsync(db => db.Timeline.CountAsync()), Is.Zero);
    }
}
