using System.Buffers.Binary;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CrmIntegration.Infrastructure.Approvals.WeCom;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>Plays WeCom: signs and encrypts callbacks for <see cref="CrmApiFactory"/> as the protocol says.</summary>
public sealed class WeComCallbackClient(CrmApiFactory factory, string token = WeComCallbackClient.Token,
    string encodingAesKey = WeComCallbackClient.EncodingAesKey, string corpId = WeComCallbackClient.CorpId)
{
    // Official vector B (docs/wecom.md §8): GET verification vector B1 works against these settings.
    public const string Token = "QDG6eK";
    public const string EncodingAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    public const string CorpId = "wx5823bf96d3bd56c7";

    private readonly HttpClient _http = factory.CreateClient();
    private int _nonce = 1000;

    public static CrmApiFactory Configure(CrmApiFactory factory) => factory
        .With("WeCom:CorpId", CorpId).With("WeCom:Token", Token).With("WeCom:EncodingAesKey", EncodingAesKey);

    public string Now => factory.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public Task<HttpResponseMessage> PostAsync(string message, string? receiveId = null, string? timestamp = null)
    {
        var crypto = new WeComCallbackCrypto(token, encodingAesKey, receiveId ?? corpId);
        var signed = crypto.EncryptAndSign(message, timestamp ?? Now, NextNonce());
        return PostEnvelopeAsync(WeComXml.BuildEnvelope(signed.Encrypt, corpId, "3010040"), signed.MsgSignature, signed.Timestamp, signed.Nonce);
    }

    /// <summary>Posts <paramref name="encrypt"/> correctly signed, whatever it holds.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string encrypt, string? timestamp = null)
    {
        var ts = timestamp ?? Now;
        var nonce = NextNonce();
        return PostEnvelopeAsync(WeComXml.BuildEnvelope(encrypt, corpId, "3010040"),
            WeComCallbackCrypto.ComputeSignature(token, ts, nonce, encrypt), ts, nonce);
    }

    public Task<HttpResponseMessage> PostEnvelopeAsync(string body, string signature, string timestamp, string nonce)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        return _http.PostAsync($"/wecom/callback?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}", content);
    }

    /// <summary>AES-CBC over <paramref name="plain"/> as given (no padding added): for malformed-padding cases.</summary>
    public static string RawEncrypt(byte[] plain)
    {
        var key = Convert.FromBase64String(EncodingAesKey + "=");
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>random16 | BE32(len) | msg | receiveid, then <paramref name="pad"/> appended as is.</summary>
    public static byte[] Frame(string message, string receiveId, byte[] pad, int? declaredLength = null)
    {
        var msg = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(receiveId);
        var frame = new byte[20 + msg.Length + id.Length + pad.Length];
        RandomNumberGenerator.Fill(frame.AsSpan(0, 16));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(16, 4), (uint)(declaredLength ?? msg.Length));
        msg.CopyTo(frame, 20);
        id.CopyTo(frame, 20 + msg.Length);
        pad.CopyTo(frame, 20 + msg.Length + id.Length);
        return frame;
    }

    private string NextNonce() => Interlocked.Increment(ref _nonce).ToString(CultureInfo.InvariantCulture);
}
