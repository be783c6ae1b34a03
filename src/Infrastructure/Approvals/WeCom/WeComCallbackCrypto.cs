using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CrmIntegration.Application.Approvals.Callbacks;

namespace CrmIntegration.Infrastructure.Approvals.WeCom;

/// <summary>
/// WXBizMsgCrypt for callbacks (docs/wecom.md §1). Immutable after construction, so one instance serves
/// concurrent requests; each call creates its own <see cref="Aes"/> because instances are not thread-safe
/// (about 1 µs, measured: cheaper than getting a pool right).
/// </summary>
internal sealed class WeComCallbackCrypto : IWeComCallbackCrypto
{
    private const int EncodingAesKeyLength = 43;
    private const int MaxTokenLength = 32;
    private const int RandomLength = 16;
    private const int HeaderLength = RandomLength + sizeof(uint);
    private const int PadBlockSize = 32;
    private const int AesBlockSize = 16;
    private const int MaxReceiveIdInMessage = 64;

    private static readonly SearchValues<char> _alphanumerics =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // Strict so a corrupted message fails loudly instead of being stored with U+FFFD in it.
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _token;
    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly byte[] _receiveId;

    public WeComCallbackCrypto(string token, string encodingAesKey, string receiveId)
    {
        ArgumentNullException.ThrowIfNull(receiveId);
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || token.AsSpan().ContainsAnyExcept(_alphanumerics))
        {
            throw new ArgumentException("The callback token must be 1-32 letters or digits.", nameof(token));
        }

        if (encodingAesKey is null || encodingAesKey.Length != EncodingAesKeyLength
            || encodingAesKey.AsSpan().ContainsAnyExcept(_alphanumerics))
        {
            throw new WeComCryptoException(WeComErrorCodes.IllegalAesKey, "The EncodingAESKey must be 43 letters or digits.");
        }

        _token = token;
        // 43 Base64 digits + "=" carry 256 bits plus 2 spare bits, which WeCom does not require to be zero.
        _key = Convert.FromBase64String(encodingAesKey + "=");
        _iv = _key[..AesBlockSize];
        _receiveId = Encoding.UTF8.GetBytes(receiveId);
    }

    /// <summary>msg_signature: lowercase hex SHA-1 of the four values sorted ordinally and concatenated.</summary>
    public static string ComputeSignature(string token, string timestamp, string nonce, string encrypted)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(encrypted);

        string[] parts = [token, timestamp, nonce, encrypted];
        // The default comparer is culture-aware under ICU and orders '+', '/', digits and letters differently.
        Array.Sort(parts, StringComparer.Ordinal);

        var length = 0;
        foreach (var part in parts)
        {
            length += Encoding.UTF8.GetByteCount(part);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            foreach (var part in parts)
            {
                written += Encoding.UTF8.GetBytes(part, buffer.AsSpan(written));
            }

            Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
            SHA1.HashData(buffer.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public string VerifyAndDecrypt(string msgSignature, string timestamp, string nonce, string encrypted)
    {
        // Query values come straight from the request: a missing one is a bad signature, not a bug.
        if (msgSignature is null || timestamp is null || nonce is null || encrypted is null)
        {
            throw new WeComCryptoException(WeComErrorCodes.ValidateSignatureError, "Signature, timestamp, nonce or ciphertext missing.");
        }

        var expected = ComputeSignature(_token, timestamp, nonce, encrypted);
        if (!SignaturesEqual(expected, msgSignature))
        {
            throw new WeComCryptoException(WeComErrorCodes.ValidateSignatureError, "Signature mismatch.");
        }

        return Decrypt(encrypted);
    }

    public EncryptedMessage EncryptAndSign(string message, string timestamp, string nonce)
    {
        Span<byte> random = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(random);
        return EncryptAndSign(message, timestamp, nonce, random);
    }

    /// <summary>Deterministic variant: <paramref name="random"/> is the 16-byte prefix WeCom discards.</summary>
    internal EncryptedMessage EncryptAndSign(string message, string timestamp, string nonce, ReadOnlySpan<byte> random)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(nonce);
        var encrypted = Encrypt(message, random);
        return new EncryptedMessage(encrypted, ComputeSignature(_token, timestamp, nonce, encrypted), timestamp, nonce);
    }

    private string Encrypt(string message, ReadOnlySpan<byte> random)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (random.Length != RandomLength)
        {
            throw new ArgumentException($"Exactly {RandomLength} random bytes are needed.", nameof(random));
        }

        var messageLength = Encoding.UTF8.GetByteCount(message);
        var contentLength = HeaderLength + messageLength + _receiveId.Length;
        var pad = PadBlockSize - (contentLength % PadBlockSize);
        var plainLength = contentLength + pad;

        var plain = ArrayPool<byte>.Shared.Rent(plainLength);
        var cipher = ArrayPool<byte>.Shared.Rent(plainLength);
        try
        {
            var span = plain.AsSpan(0, plainLength);
            random.CopyTo(span);
            BinaryPrimitives.WriteUInt32BigEndian(span[RandomLength..], (uint)messageLength);
            Encoding.UTF8.GetBytes(message, span[HeaderLength..]);
            _receiveId.CopyTo(span[(HeaderLength + messageLength)..]);
            span[contentLength..].Fill((byte)pad);

            int written;
            try
            {
                using var aes = CreateAes();
                written = aes.EncryptCbc(span, _iv, cipher, PaddingMode.None);
            }
            catch (CryptographicException e)
            {
                throw new WeComCryptoException(WeComErrorCodes.EncryptAesError, "AES encryption failed.", e);
            }

            return Convert.ToBase64String(cipher, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
            ArrayPool<byte>.Shared.Return(cipher);
        }
    }

    private string Decrypt(string encrypted)
    {
        var cipher = ArrayPool<byte>.Shared.Rent(Math.Max(1, encrypted.Length / 4 * 3 + 3));
        var plain = ArrayPool<byte>.Shared.Rent(cipher.Length);
        try
        {
            if (!Convert.TryFromBase64String(encrypted, cipher, out var cipherLength))
            {
                throw new WeComCryptoException(WeComErrorCodes.DecodeBase64Error, "Ciphertext is not valid Base64.");
            }

            if (cipherLength == 0 || cipherLength % AesBlockSize != 0)
            {
                throw new WeComCryptoException(WeComErrorCodes.DecryptAesError, "Ciphertext length is not a positive multiple of 16.");
            }

            int plainLength;
            try
            {
                using var aes = CreateAes();
                // PKCS7 here would reject every pad above 16, i.e. about half of all real messages.
                plainLength = aes.DecryptCbc(cipher.AsSpan(0, cipherLength), _iv, plain, PaddingMode.None);
            }
            catch (CryptographicException e)
            {
                throw new WeComCryptoException(WeComErrorCodes.DecryptAesError, "AES decryption failed.", e);
            }

            var content = StripPad(plain.AsSpan(0, plainLength));
            return ReadContent(content);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(cipher);
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
        }
    }

    private static ReadOnlySpan<byte> StripPad(ReadOnlySpan<byte> plain)
    {
        int pad = plain[^1];
        if (pad is < 1 or > PadBlockSize || pad > plain.Length || plain[^pad..].ContainsAnyExcept((byte)pad))
        {
            throw new WeComCryptoException(WeComErrorCodes.DecryptAesError, "Invalid padding.");
        }

        return plain[..^pad];
    }

    private string ReadContent(ReadOnlySpan<byte> content)
    {
        if (content.Length < HeaderLength)
        {
            throw new WeComCryptoException(WeComErrorCodes.IllegalBuffer, "Decrypted content is shorter than its header.");
        }

        // Checked before slicing, in 64 bits: a hostile length must not overflow into a valid-looking range.
        var messageLength = (long)BinaryPrimitives.ReadUInt32BigEndian(content[RandomLength..HeaderLength]);
        if (messageLength > content.Length - HeaderLength)
        {
            throw new WeComCryptoException(WeComErrorCodes.IllegalBuffer, "Message length exceeds the decrypted content.");
        }

        var messageEnd = HeaderLength + (int)messageLength;
        var receiveId = content[messageEnd..];
        if (!receiveId.SequenceEqual(_receiveId))
        {
            throw new WeComCryptoException(WeComErrorCodes.ValidateCorpidError, $"ReceiveId mismatch: got '{Describe(receiveId)}'.");
        }

        try
        {
            return _strictUtf8.GetString(content[HeaderLength..messageEnd]);
        }
        catch (DecoderFallbackException)
        {
            // Not chained: the fallback exception quotes the offending plaintext bytes.
            throw new WeComCryptoException(WeComErrorCodes.IllegalBuffer, "Message is not valid UTF-8.");
        }
    }

    // Compares the UTF-16 code units directly: no encoding step that could map two inputs to the same bytes.
    private static bool SignaturesEqual(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(actual.AsSpan()));

    // The receiveid names the sender (a corpid or suiteid), so logging it is the point; bound and sanitise it.
    private static string Describe(ReadOnlySpan<byte> receiveId)
    {
        var text = Encoding.UTF8.GetString(receiveId[..Math.Min(receiveId.Length, MaxReceiveIdInMessage)]);
        var chars = text.Select(c => char.IsControl(c) ? '?' : c).ToArray();
        return receiveId.Length > MaxReceiveIdInMessage ? new string(chars) + "…" : new string(chars);
    }

    private Aes CreateAes()
    {
        var aes = Aes.Create();
        aes.Key = _key;
        return aes;
    }
}
