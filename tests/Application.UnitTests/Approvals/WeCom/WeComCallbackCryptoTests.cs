using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using NUnit.Framework.Constraints;

namespace CrmIntegration.Application.UnitTests.Approvals.WeCom;

/// <summary>Pinned to Tencent's official vectors (docs/wecom.md §8) so a wrong sort, pad or key derivation cannot pass.</summary>
public sealed class WeComCallbackCryptoTests
{
    private const string TokenA = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    private const string KeyA = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
    private const string CorpIdA = "ww1436e0e65a779aee";

    private const string A1Signature = "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb";
    private const string A1Timestamp = "1476416373";
    private const string A1Nonce = "47744683";
    private const string A1EchoStr = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
    private const string A1Message = "1288432023552776189";

    private const string A2Signature = "0c3914025cb4b4d68103f6bfc8db550f79dcf48e";
    private const string A2Timestamp = "1476422779";
    private const string A2Nonce = "1597212914";
    private const string A2Encrypt =
        "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";
    private const string A2Message =
        "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";

    private const string TokenB = "QDG6eK";
    private const string KeyB = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private const string CorpIdB = "wx5823bf96d3bd56c7";

    private const string B1Signature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
    private const string B1Timestamp = "1409659589";
    private const string B1Nonce = "263014780";
    private const string B1EchoStrWire =
        "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
    private const string B1Message = "1616140317555161061";

    private const string B2Signature = "477715d11cdb4164915debcba66cb864d751f3e6";
    private const string B2Timestamp = "1409659813";
    private const string B2Nonce = "1372623149";
    private const string B2Encrypt =
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    private const string B2Message =
        "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

    private const string Timestamp = "1700000000";
    private const string Nonce = "1234567890";

    private static readonly string _b1EchoStr = Uri.UnescapeDataString(B1EchoStrWire);

    private static IEnumerable<TestCaseData> OfficialVectors()
    {
        yield return new TestCaseData(TokenA, KeyA, CorpIdA, A1Signature, A1Timestamp, A1Nonce, A1EchoStr, A1Message, 7).SetArgDisplayNames("A1");
        yield return new TestCaseData(TokenA, KeyA, CorpIdA, A2Signature, A2Timestamp, A2Nonce, A2Encrypt, A2Message, 22).SetArgDisplayNames("A2");
        yield return new TestCaseData(TokenB, KeyB, CorpIdB, B1Signature, B1Timestamp, B1Nonce, _b1EchoStr, B1Message, 7).SetArgDisplayNames("B1");
        yield return new TestCaseData(TokenB, KeyB, CorpIdB, B2Signature, B2Timestamp, B2Nonce, B2Encrypt, B2Message, 30).SetArgDisplayNames("B2");
    }

    private static IEnumerable<int> AllPads() => Enumerable.Range(1, 32);

    [TestCaseSource(nameof(OfficialVectors))]
    public void ComputeSignature_WhenOfficialVector_MatchesTencent(
        string token, string key, string corpId, string signature, string timestamp, string nonce, string encrypted, string message, int pad)
    {
        Assert.That(WeComCallbackCrypto.ComputeSignature(token, timestamp, nonce, encrypted), Is.EqualTo(signature));
    }

    [TestCaseSource(nameof(OfficialVectors))]
    public void VerifyAndDecrypt_WhenOfficialVector_ReturnsTencentMessage(
        string token, string key, string corpId, string signature, string timestamp, string nonce, string encrypted, string message, int pad)
    {
        var crypto = new WeComCallbackCrypto(token, key, corpId);

        Assert.That(crypto.VerifyAndDecrypt(signature, timestamp, nonce, encrypted), Is.EqualTo(message));
    }

    [TestCaseSource(nameof(OfficialVectors))]
    public void OfficialVector_WhenDecryptedWithoutUnpadding_HasTheDocumentedPad(
        string token, string key, string corpId, string signature, string timestamp, string nonce, string encrypted, string message, int pad)
    {
        // Guards the vectors themselves: A2 and B2 must keep exercising pads above 16.
        var plain = RawDecrypt(key, Convert.FromBase64String(encrypted));

        Assert.That(plain[^pad..], Is.All.EqualTo((byte)pad));
        Assert.That(plain.Length - pad, Is.EqualTo(20 + Encoding.UTF8.GetByteCount(message) + corpId.Length));
    }

    [TestCaseSource(nameof(OfficialVectors))]
    public void Encrypt_WhenGivenTheOfficialRandomPrefix_ReproducesTheOfficialCiphertext(
        string token, string key, string corpId, string signature, string timestamp, string nonce, string encrypted, string message, int pad)
    {
        var crypto = new WeComCallbackCrypto(token, key, corpId);
        var random = RawDecrypt(key, Convert.FromBase64String(encrypted))[..16];

        var result = crypto.EncryptAndSign(message, timestamp, nonce, random);

        Assert.That(result.Encrypt, Is.EqualTo(encrypted));
        Assert.That(result.MsgSignature, Is.EqualTo(signature));
        Assert.That(result.Timestamp, Is.EqualTo(timestamp));
        Assert.That(result.Nonce, Is.EqualTo(nonce));
    }

    [Test]
    public void ComputeSignature_WhenA2IsSortedByCulture_DiffersAndOrdinalMatches()
    {
        string[] parts = [TokenA, A2Timestamp, A2Nonce, A2Encrypt];
        Array.Sort(parts, StringComparer.Create(CultureInfo.GetCultureInfo("en-US"), ignoreCase: false));
        var cultureSigned = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
        Assume.That(cultureSigned, Is.Not.EqualTo(A2Signature), "this runtime sorts culture-aware like ordinal (no ICU?)");

        Assert.That(WeComCallbackCrypto.ComputeSignature(TokenA, A2Timestamp, A2Nonce, A2Encrypt), Is.EqualTo(A2Signature));
    }

    [Test]
    public void VerifyAndDecrypt_WhenA2UnderATurkishCulture_StillVerifies()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
            var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);

            Assert.That(crypto.VerifyAndDecrypt(A2Signature, A2Timestamp, A2Nonce, A2Encrypt), Is.EqualTo(A2Message));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public void VerifyAndDecrypt_WhenEchoStrIsDecodedTwice_FailsSignature()
    {
        var crypto = new WeComCallbackCrypto(TokenB, KeyB, CorpIdB);
        var decodedTwice = WebUtility.UrlDecode(_b1EchoStr); // '+' becomes ' '

        Assert.That(() => crypto.VerifyAndDecrypt(B1Signature, B1Timestamp, B1Nonce, decodedTwice), ThrowsCode(WeComErrorCodes.ValidateSignatureError));
    }

    [Test]
    public void VerifyAndDecrypt_WhenEchoStrIsNotUrlDecoded_FailsSignature()
    {
        var crypto = new WeComCallbackCrypto(TokenB, KeyB, CorpIdB);

        Assert.That(() => crypto.VerifyAndDecrypt(B1Signature, B1Timestamp, B1Nonce, B1EchoStrWire), ThrowsCode(WeComErrorCodes.ValidateSignatureError));
    }

    [TestCaseSource(nameof(AllPads))]
    public void EncryptAndSign_WhenMessageLengthNeedsPad_RoundTripsWithThatPad(int pad)
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);
        // 20 header bytes + message + corpid + pad must be a multiple of 32.
        var messageLength = (((32 - pad - 20 - CorpIdA.Length) % 32) + 64) % 32 + 32;
        var message = new string('x', messageLength);

        var encrypted = crypto.EncryptAndSign(message, Timestamp, Nonce);
        var plain = RawDecrypt(KeyA, Convert.FromBase64String(encrypted.Encrypt));

        Assert.That(plain[^1], Is.EqualTo((byte)pad));
        Assert.That(plain.Length % 32, Is.Zero);
        Assert.That(crypto.VerifyAndDecrypt(encrypted.MsgSignature, Timestamp, Nonce, encrypted.Encrypt), Is.EqualTo(message));
    }

    [Test]
    public void EncryptAndSign_WhenRandomPayloads_RoundTrip()
    {
        var crypto = new WeComCallbackCrypto(TokenB, KeyB, CorpIdB);
        var random = new Random(20250611);
        string[] alphabet = ["a", "Z", "7", "<", "&", "]]>", " ", "\n", "你", "好", "审批", "😀", "👍🏽", "é", "\u00a0"];

        for (var i = 0; i < 300; i++)
        {
            var builder = new StringBuilder();
            var parts = random.Next(0, 200);
            for (var j = 0; j < parts; j++)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var message = builder.ToString();
            var timestamp = random.NextInt64(1_000_000_000, 2_000_000_000).ToString(CultureInfo.InvariantCulture);
            var nonce = random.Next().ToString(CultureInfo.InvariantCulture);

            var encrypted = crypto.EncryptAndSign(message, timestamp, nonce);

            Assert.That(crypto.VerifyAndDecrypt(encrypted.MsgSignature, timestamp, nonce, encrypted.Encrypt), Is.EqualTo(message));
        }
    }

    [Test]
    public void EncryptAndSign_WhenCalledTwice_UsesFreshRandomPrefixes()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);

        var first = crypto.EncryptAndSign("same", Timestamp, Nonce);
        var second = crypto.EncryptAndSign("same", Timestamp, Nonce);

        Assert.That(first.Encrypt, Is.Not.EqualTo(second.Encrypt));
    }

    [Test]
    public void EncryptAndSign_WhenMessageIsEmpty_RoundTrips()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);

        var encrypted = crypto.EncryptAndSign(string.Empty, Timestamp, Nonce);

        Assert.That(crypto.VerifyAndDecrypt(encrypted.MsgSignature, Timestamp, Nonce, encrypted.Encrypt), Is.Empty);
    }

    [Test]
    public void EncryptAndSign_WhenRandomPrefixIsNot16Bytes_Throws()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);

        Assert.That(() => crypto.EncryptAndSign("x", Timestamp, Nonce, new byte[15]), Throws.ArgumentException);
    }

    [Test]
    public void VerifyAndDecrypt_WhenReceiveIdIsEmpty_RoundTrips()
    {
        // Third-party apps may use an empty receiveid.
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, string.Empty);

        var encrypted = crypto.EncryptAndSign("hello", Timestamp, Nonce);

        Assert.That(crypto.VerifyAndDecrypt(encrypted.MsgSignature, Timestamp, Nonce, encrypted.Encrypt), Is.EqualTo("hello"));
    }

    [Test]
    public void VerifyAndDecrypt_WhenCalledConcurrently_AllSucceed()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);
        var failures = 0;

        Parallel.For(0, 2000, i =>
        {
            var message = $"message {i} 审批 😀";
            var timestamp = i.ToString(CultureInfo.InvariantCulture);
            var encrypted = crypto.EncryptAndSign(message, timestamp, Nonce);
            if (crypto.VerifyAndDecrypt(encrypted.MsgSignature, timestamp, Nonce, encrypted.Encrypt) != message
                || crypto.VerifyAndDecrypt(A2Signature, A2Timestamp, A2Nonce, A2Encrypt) != A2Message)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.That(failures, Is.Zero);
    }

    [Test]
    public void VerifyAndDecrypt_WhenSignatureIsWrong_ThrowsValidateSignatureError()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);
        var wrong = "1" + A2Signature[1..];

        Assert.That(() => crypto.VerifyAndDecrypt(wrong, A2Timestamp, A2Nonce, A2Encrypt), ThrowsCode(WeComErrorCodes.ValidateSignatureError));
    }

    [TestCase("")]
    [TestCase("0c3914025cb4b4d68103f6bfc8db550f79dcf48")]
    [TestCase("0c3914025cb4b4d68103f6bfc8db550f79dcf48e0")]
    [TestCase("0C3914025CB4B4D68103F6BFC8DB550F79DCF48E")]
    public void VerifyAndDecrypt_WhenSignatureIsMalformed_ThrowsValidateSignatureError(string signature)
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);

        Assert.That(() => crypto.VerifyAndDecrypt(signature, A2Timestamp, A2Nonce, A2Encrypt), ThrowsCode(WeComErrorCodes.ValidateSignatureError));
    }

    [Test]
    public void VerifyAndDecrypt_WhenTimestampOrCiphertextChanged_ThrowsValidateSignatureError()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);
        var tampered = A2Encrypt[..^2] + "A+";

        Assert.That(() => crypto.VerifyAndDecrypt(A2Signature, "1476422780", A2Nonce, A2Encrypt), ThrowsCode(WeComErrorCodes.ValidateSignatureError));
        Assert.That(() => crypto.VerifyAndDecrypt(A2Signature, A2Timestamp, A2Nonce, tampered), ThrowsCode(WeComErrorCodes.ValidateSignatureError));
    }

    [Test]
    public void VerifyAndDecrypt_WhenTokenDiffers_ThrowsValidateSignatureError()
    {
        var crypto = new WeComCallbackCrypto("OtherToken1", KeyA, CorpIdA);

        Assert.That(() => crypto.VerifyAndDecrypt(A2Signature, A2Timestamp, A2Nonce, A2Encrypt), ThrowsCode(WeComErrorCodes.ValidateSignatureError));
    }

    [TestCase("")]
    [TestCase("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU")]
    [TestCase("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUtt")]
    [TestCase("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU+")]
    [TestCase("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU=")]
    [TestCase("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU ")]
    [TestCase("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU٣")]
    public void Constructor_WhenEncodingAesKeyIsNot43Alphanumerics_ThrowsIllegalAesKey(string key)
    {
        Assert.That(() => new WeComCallbackCrypto(TokenA, key, CorpIdA), ThrowsCode(WeComErrorCodes.IllegalAesKey));
    }

    [Test]
    public void Constructor_WhenEncodingAesKeyIsNull_ThrowsIllegalAesKey()
    {
        Assert.That(() => new WeComCallbackCrypto(TokenA, null!, CorpIdA), ThrowsCode(WeComErrorCodes.IllegalAesKey));
    }

    [Test]
    public void Constructor_WhenKeyHasNonZeroTrailingBits_Accepts()
    {
        // Last digit 't' leaves non-zero spare bits: a strict re-encoding check would wrongly reject WeCom's own key.
        Assert.That(() => new WeComCallbackCrypto(TokenA, "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", CorpIdA), Throws.Nothing);
    }

    [TestCase("")]
    [TestCase("123456789012345678901234567890123")]
    [TestCase("with space")]
    [TestCase("tok+en")]
    public void Constructor_WhenTokenIsNot1To32Alphanumerics_ThrowsArgumentException(string token)
    {
        Assert.That(() => new WeComCallbackCrypto(token, KeyA, CorpIdA), Throws.ArgumentException);
    }

    [Test]
    public void VerifyAndDecrypt_WhenReceiveIdDiffers_ThrowsValidateCorpidError()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, "ww0000000000000000");

        Assert.That(() => crypto.VerifyAndDecrypt(A2Signature, A2Timestamp, A2Nonce, A2Encrypt), ThrowsCode(WeComErrorCodes.ValidateCorpidError));
    }

    [TestCase("WW1436E0E65A779AEE")]
    [TestCase("ww1436e0e65a779ae")]
    [TestCase("")]
    public void VerifyAndDecrypt_WhenReceiveIdDiffersOnlySlightly_ThrowsValidateCorpidError(string receiveId)
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, receiveId);

        Assert.That(() => crypto.VerifyAndDecrypt(A2Signature, A2Timestamp, A2Nonce, A2Encrypt), ThrowsCode(WeComErrorCodes.ValidateCorpidError));
    }

    [TestCase(0)]
    [TestCase(33)]
    [TestCase(255)]
    public void VerifyAndDecrypt_WhenPadByteIsOutOfRange_ThrowsDecryptAesError(int padByte)
    {
        var plain = Content("hello", CorpIdA, extraLength: 0);
        var padded = PadTo32(plain, padByte: (byte)padByte);

        AssertSignedCiphertextFails(RawEncrypt(KeyA, padded), WeComErrorCodes.DecryptAesError);
    }

    [Test]
    public void VerifyAndDecrypt_WhenThirtyThreeBytesOf33WouldLeaveAValidMessage_ThrowsDecryptAesError()
    {
        // Without the upper bound this would decrypt cleanly: 20 + 25 + 18 content bytes, then 33 bytes of 33.
        var plain = Content(new string('m', 25), CorpIdA, extraLength: 0);
        var padded = new byte[plain.Length + 33];
        plain.CopyTo(padded, 0);
        padded.AsSpan(plain.Length).Fill(33);
        Assume.That(padded.Length % 32, Is.Zero);

        AssertSignedCiphertextFails(RawEncrypt(KeyA, padded), WeComErrorCodes.DecryptAesError);
    }

    [Test]
    public void VerifyAndDecrypt_WhenPadBytesAreInconsistent_ThrowsDecryptAesError()
    {
        var plain = Content("hello", CorpIdA, extraLength: 0);
        var padded = PadTo32(plain);
        var pad = padded[^1];
        Assume.That(pad, Is.GreaterThan((byte)1));
        padded[^pad] ^= 0x01;

        AssertSignedCiphertextFails(RawEncrypt(KeyA, padded), WeComErrorCodes.DecryptAesError);
    }

    [Test]
    public void VerifyAndDecrypt_WhenPadIsLongerThanPlaintext_ThrowsDecryptAesError()
    {
        var block = Enumerable.Repeat((byte)32, 16).ToArray();

        AssertSignedCiphertextFails(RawEncrypt(KeyA, block), WeComErrorCodes.DecryptAesError);
    }

    [TestCase(17)]
    [TestCase(15)]
    [TestCase(0)]
    public void VerifyAndDecrypt_WhenCiphertextLengthIsNotAPositiveMultipleOf16_ThrowsDecryptAesError(int length)
    {
        var cipher = RawEncrypt(KeyA, PadTo32(Content("hello", CorpIdA, 0)));
        var truncated = length <= cipher.Length ? cipher[..length] : cipher;

        AssertSignedCiphertextFails(truncated, WeComErrorCodes.DecryptAesError);
    }

    [Test]
    public void VerifyAndDecrypt_WhenLengthPrefixExceedsContent_ThrowsIllegalBuffer()
    {
        var plain = Content("hello", CorpIdA, extraLength: CorpIdA.Length + 1);

        AssertSignedCiphertextFails(RawEncrypt(KeyA, PadTo32(plain)), WeComErrorCodes.IllegalBuffer);
    }

    [Test]
    public void VerifyAndDecrypt_WhenLengthPrefixIsUInt32Max_ThrowsIllegalBuffer()
    {
        var plain = Content("hello", CorpIdA, extraLength: 0);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16), uint.MaxValue);

        AssertSignedCiphertextFails(RawEncrypt(KeyA, PadTo32(plain)), WeComErrorCodes.IllegalBuffer);
    }

    [Test]
    public void VerifyAndDecrypt_WhenLengthPrefixIsInt32MinAsUnsigned_ThrowsIllegalBuffer()
    {
        var plain = Content("hello", CorpIdA, extraLength: 0);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16), 0x8000_0000);

        AssertSignedCiphertextFails(RawEncrypt(KeyA, PadTo32(plain)), WeComErrorCodes.IllegalBuffer);
    }

    [Test]
    public void VerifyAndDecrypt_WhenContentIsShorterThanItsHeader_ThrowsIllegalBuffer()
    {
        var padded = new byte[32];
        RandomNumberGenerator.Fill(padded.AsSpan(0, 12));
        padded.AsSpan(12).Fill(20);

        AssertSignedCiphertextFails(RawEncrypt(KeyA, padded), WeComErrorCodes.IllegalBuffer);
    }

    [Test]
    public void VerifyAndDecrypt_WhenMessageIsNotUtf8_ThrowsIllegalBuffer()
    {
        var plain = Content("hello", CorpIdA, extraLength: 0);
        plain[20] = 0xff;

        AssertSignedCiphertextFails(RawEncrypt(KeyA, PadTo32(plain)), WeComErrorCodes.IllegalBuffer);
    }

    [TestCase("not base64!")]
    [TestCase("abc")]
    [TestCase("Kl7kjoSf6DMD1zh7rtrHjFaDapSC=kaOnwu3bqLc5tAyb")]
    public void VerifyAndDecrypt_WhenCiphertextIsNotBase64_ThrowsDecodeBase64Error(string encrypted)
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);
        var signature = WeComCallbackCrypto.ComputeSignature(TokenA, Timestamp, Nonce, encrypted);

        Assert.That(() => crypto.VerifyAndDecrypt(signature, Timestamp, Nonce, encrypted), ThrowsCode(WeComErrorCodes.DecodeBase64Error));
    }

    [Test]
    public void VerifyAndDecrypt_WhenDecryptedWithAnotherKey_FailsWithoutLeakingKeys()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyB, CorpIdA);

        var error = Assert.Throws<WeComCryptoException>(() => crypto.VerifyAndDecrypt(A2Signature, A2Timestamp, A2Nonce, A2Encrypt));

        Assert.That(error.Code, Is.AnyOf(WeComErrorCodes.DecryptAesError, WeComErrorCodes.IllegalBuffer, WeComErrorCodes.ValidateCorpidError));
        Assert.That(error.ToString(), Does.Not.Contain(KeyB).And.Not.Contain(TokenA).And.Not.Contain(KeyA));
    }

    [Test]
    public void WeComCryptoException_WhenReceiveIdMismatches_NamesTheReceivedIdButNoSecret()
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, "ww0000000000000000");

        var error = Assert.Throws<WeComCryptoException>(() => crypto.VerifyAndDecrypt(A2Signature, A2Timestamp, A2Nonce, A2Encrypt));

        Assert.That(error.Message, Does.Contain(CorpIdA).And.Contain("-40005"));
        Assert.That(error.Message, Does.Not.Contain(KeyA).And.Not.Contain(TokenA).And.Not.Contain("你好"));
    }

    private static IResolveConstraint ThrowsCode(int code) =>
        Throws.TypeOf<WeComCryptoException>().With.Property(nameof(WeComCryptoException.Code)).EqualTo(code);

    private static void AssertSignedCiphertextFails(byte[] cipher, int code)
    {
        var crypto = new WeComCallbackCrypto(TokenA, KeyA, CorpIdA);
        var encrypted = Convert.ToBase64String(cipher);
        var signature = WeComCallbackCrypto.ComputeSignature(TokenA, Timestamp, Nonce, encrypted);

        Assert.That(() => crypto.VerifyAndDecrypt(signature, Timestamp, Nonce, encrypted), ThrowsCode(code));
    }

    /// <summary>random(16) | BE32(length) | message | receiveid, with the length prefix overstated by <paramref name="extraLength"/>.</summary>
    private static byte[] Content(string message, string receiveId, int extraLength)
    {
        var messageBytes = Encoding.UTF8.GetBytes(message);
        var receiveIdBytes = Encoding.UTF8.GetBytes(receiveId);
        var content = new byte[20 + messageBytes.Length + receiveIdBytes.Length];
        RandomNumberGenerator.Fill(content.AsSpan(0, 16));
        BinaryPrimitives.WriteUInt32BigEndian(content.AsSpan(16), (uint)(messageBytes.Length + extraLength));
        messageBytes.CopyTo(content, 20);
        receiveIdBytes.CopyTo(content, 20 + messageBytes.Length);
        return content;
    }

    private static byte[] PadTo32(byte[] content, byte? padByte = null)
    {
        var pad = 32 - (content.Length % 32);
        var padded = new byte[content.Length + pad];
        content.CopyTo(padded, 0);
        padded.AsSpan(content.Length).Fill(padByte ?? (byte)pad);
        return padded;
    }

    private static byte[] RawEncrypt(string encodingAesKey, byte[] plain)
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(encodingAesKey + "=");
        return aes.EncryptCbc(plain, aes.Key[..16], PaddingMode.None);
    }

    private static byte[] RawDecrypt(string encodingAesKey, byte[] cipher)
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(encodingAesKey + "=");
        return aes.DecryptCbc(cipher, aes.Key[..16], PaddingMode.None);
    }
}
