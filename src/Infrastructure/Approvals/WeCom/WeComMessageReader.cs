using CrmIntegration.Application.Approvals.Callbacks;

namespace CrmIntegration.Infrastructure.Approvals.WeCom;

internal sealed class WeComMessageReader : IWeComMessageReader
{
    public string ReadEncryptEnvelope(string body) => WeComXml.ReadEncryptEnvelope(body);

    public WeComMessage Read(string decryptedXml) => WeComXml.ParseMessage(decryptedXml);
}
