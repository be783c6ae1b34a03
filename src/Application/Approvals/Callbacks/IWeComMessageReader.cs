namespace CrmIntegration.Application.Approvals.Callbacks;

/// <summary>WeCom's callback XML: the envelope around the ciphertext, and the decrypted message.</summary>
public interface IWeComMessageReader
{
    /// <summary>The &lt;Encrypt&gt; text of a POSTed body; a malformed body throws <see cref="WeComCryptoException"/> (-40002).</summary>
    string ReadEncryptEnvelope(string body);

    /// <summary>The decrypted message, with its approval event when it is one; malformed XML throws <see cref="WeComCryptoException"/>.</summary>
    WeComMessage Read(string decryptedXml);
}
