namespace CrmIntegration.Application.Approvals.Callbacks;

/// <summary>
/// The door for WeCom's callbacks. Both calls verify the signature and decrypt; failures throw
/// <see cref="WeComCryptoException"/> with WeCom's code and change nothing.
/// </summary>
public interface IWeComCallbackIngress
{
    /// <summary>False when WeCom:Token/EncodingAesKey/CorpId are not set.</summary>
    bool IsConfigured { get; }

    /// <summary>GET (URL verification): the decrypted echostr, to be answered verbatim.</summary>
    string VerifyUrl(string? msgSignature, string? timestamp, string? nonce, string? echostr);

    /// <summary>POST: verifies, decrypts and stores the message durably; returns once it is stored.</summary>
    Task<CallbackReceipt> ReceiveAsync(string? msgSignature, string? timestamp, string? nonce, string body, CancellationToken ct);
}

public enum CallbackReceipt
{
    Stored,

    /// <summary>The same event was stored before (a WeCom retry or twin): acknowledged, not stored again.</summary>
    Duplicate,
}
