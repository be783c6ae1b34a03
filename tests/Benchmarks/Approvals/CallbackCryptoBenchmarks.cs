using BenchmarkDotNet.Attributes;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Infrastructure.Approvals.WeCom;

namespace CrmIntegration.Benchmarks.Approvals;

/// <summary>
/// The CPU part of a callback (docs/wecom.md §1): the baseline is the bare SHA-1 signature over the same
/// ciphertext, so each ratio says what AES, Base64, framing and XML add to the one step that cannot be skipped.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortRunConfig))]
public class CallbackCryptoBenchmarks
{
    private const string Nonce = "1372623149";

    private WeComCallbackCrypto _crypto = null!;
    private string _message = "";
    private string _timestamp = "";
    private string _encrypted = "";
    private string _signature = "";
    private string _envelope = "";

    /// <summary>Size of the decrypted message in UTF-8 bytes.</summary>
    [Params(1024, 8192)]
    public int MessageBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _crypto = new WeComCallbackCrypto(CallbackMessages.Token, CallbackMessages.EncodingAesKey, CallbackMessages.CorpId);
        var now = DateTimeOffset.UtcNow;
        _timestamp = CallbackMessages.Seconds(now);
        _message = CallbackMessages.SysApprovalChange("202611220001", now.ToUnixTimeSeconds(), MessageBytes);
        var signed = _crypto.EncryptAndSign(_message, _timestamp, Nonce);
        _encrypted = signed.Encrypt;
        _signature = signed.MsgSignature;
        _envelope = WeComXml.BuildEnvelope(_encrypted, CallbackMessages.CorpId, "3010040");
        if (_crypto.VerifyAndDecrypt(_signature, _timestamp, Nonce, _encrypted) != _message)
        {
            throw new InvalidOperationException("Round trip failed: the benchmark would measure an error path.");
        }
    }

    [Benchmark(Baseline = true, Description = "SHA-1 signature only")]
    public string SignatureOnly() => WeComCallbackCrypto.ComputeSignature(CallbackMessages.Token, _timestamp, Nonce, _encrypted);

    [Benchmark(Description = "Verify + decrypt")]
    public string VerifyAndDecrypt() => _crypto.VerifyAndDecrypt(_signature, _timestamp, Nonce, _encrypted);

    [Benchmark(Description = "Encrypt + sign")]
    public EncryptedMessage EncryptAndSign() => _crypto.EncryptAndSign(_message, _timestamp, Nonce);

    /// <summary>What the POST endpoint does before it stores: envelope XML, verify, decrypt, parse the message.</summary>
    [Benchmark(Description = "Envelope + verify + decrypt + parse")]
    public string ReceivePath()
    {
        var encrypt = WeComXml.ReadEncryptEnvelope(_envelope);
        var xml = _crypto.VerifyAndDecrypt(_signature, _timestamp, Nonce, encrypt);
        return WeComXml.ParseMessage(xml).Key;
    }
}
