namespace CrmIntegration.Application.Approvals.Callbacks;

public sealed record EncryptedMessage(string Encrypt, string MsgSignature, string Timestamp, string Nonce);
