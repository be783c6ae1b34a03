namespace CrmIntegration.Application.Approvals.Callbacks;

/// <summary>
/// WeCom's callback crypto (WXBizMsgCrypt): msg_signature over the ordinal-sorted [token, timestamp, nonce, X]
/// and AES-256-CBC with a 32-byte PKCS#7 pad. Failures throw <see cref="WeComCryptoException"/> with WeCom's code.
/// </summary>
public interface IWeComCallbackCrypto
{
    /// <summary>Checks <paramref name="msgSignature"/> over <paramref name="encrypted"/>, decrypts it and checks the receiveid.</summary>
    string VerifyAndDecrypt(string msgSignature, string timestamp, string nonce, string encrypted);

    /// <summary>Encrypts <paramref name="message"/> for the configured receiveid and signs it (replies, tests, simulator).</summary>
    EncryptedMessage EncryptAndSign(string message, string timestamp, string nonce);
}
