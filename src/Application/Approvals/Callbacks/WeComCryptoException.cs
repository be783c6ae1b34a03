namespace CrmIntegration.Application.Approvals.Callbacks;

/// <summary>
/// A callback failed verification, decryption or parsing. <see cref="Code"/> is one of <see cref="WeComErrorCodes"/>;
/// the message is safe to log: it never carries keys, tokens or the decrypted message.
/// </summary>
public sealed class WeComCryptoException(int code, string message, Exception? inner = null)
    : Exception($"WeCom callback error {code}: {message}", inner)
{
    public int Code { get; } = code;
}
