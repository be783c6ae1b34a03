using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;

namespace CrmIntegration.Infrastructure.Approvals.WeCom;

/// <summary>
/// Reads callback envelopes and decrypted messages (docs/wecom.md §2, §4). Only malformed XML throws (-40002):
/// unknown events, elements and values must not, or WeCom retries a message we can never accept.
/// </summary>
internal static class WeComXml
{
    private const string EventIdKeyPrefix = "eventid:";
    private const string HashKeyPrefix = "sha256:";
    private const int MaxKeyLength = 128;
    // Far above any real callback (a few KB); the endpoint's body limit should bite first.
    private const int MaxDocumentCharacters = 4 * 1024 * 1024;

    /// <summary>The &lt;Encrypt&gt; text of a POST envelope, exactly as sent: it is what the signature covers.</summary>
    public static string ReadEncryptEnvelope(string xml)
    {
        var encrypt = Child(Load(xml), "Encrypt")?.Value;
        if (string.IsNullOrWhiteSpace(encrypt))
        {
            throw ParseError("The envelope has no Encrypt value.");
        }

        return encrypt;
    }

    public static WeComMessage ParseMessage(string decryptedXml)
    {
        var root = Load(decryptedXml);
        var msgType = Value(root, "MsgType");
        var eventName = Value(root, "Event");
        var info = Child(root, "ApprovalInfo");
        var key = EventKey(root, info, decryptedXml);

        ApprovalEvent? approval = null;
        if (string.Equals(eventName, ApprovalEvent.SystemApprovalChange, StringComparison.OrdinalIgnoreCase))
        {
            approval = ReadApproval(root, info, key, decryptedXml, ApprovalEvent.SystemApprovalChange, open: false);
        }
        else if (string.Equals(eventName, ApprovalEvent.OpenApprovalChange, StringComparison.OrdinalIgnoreCase))
        {
            approval = ReadApproval(root, info, key, decryptedXml, ApprovalEvent.OpenApprovalChange, open: true);
        }

        return new WeComMessage(msgType, eventName, approval) { Key = key };
    }

    /// <summary>A POST envelope as WeCom sends it (tests and the simulator).</summary>
    public static string BuildEnvelope(string encrypt, string toUserName, string agentId)
    {
        ArgumentNullException.ThrowIfNull(encrypt);
        ArgumentNullException.ThrowIfNull(toUserName);
        ArgumentNullException.ThrowIfNull(agentId);

        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false };
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            using (var writer = XmlWriter.Create(text, settings))
            {
                writer.WriteStartElement("xml");
                WriteCDataElement(writer, "ToUserName", toUserName);
                WriteCDataElement(writer, "Encrypt", encrypt);
                WriteCDataElement(writer, "AgentID", agentId);
                writer.WriteEndElement();
            }
        }
        catch (ArgumentException e)
        {
            throw new WeComCryptoException(WeComErrorCodes.GenReturnXmlError, "A value cannot be written as XML.", e);
        }

        return text.ToString();
    }

    private static ApprovalEvent ReadApproval(XElement root, XElement? info, string key, string decryptedXml, string eventName, bool open)
    {
        // Only ApprovalInfo's own SpStatus is the form's status; SpRecord, Details and NodeList carry their own.
        var primaryStatus = open ? "OpenSpStatus" : "SpStatus";
        var fallbackStatus = open ? "SpStatus" : "OpenSpStatus";
        var statusText = NonEmpty(Value(info, primaryStatus)) ?? NonEmpty(Value(info, fallbackStatus));

        var templateId = open
            ? NonEmpty(Value(info, "OpenTemplateId")) ?? NonEmpty(Value(info, "TemplateId"))
            : NonEmpty(Value(info, "TemplateId")) ?? NonEmpty(Value(info, "OpenTemplateId"));

        return new ApprovalEvent(
            Key: key,
            EventName: eventName,
            SpNo: NonEmpty(Value(info, "SpNoStr")) ?? NonEmpty(Value(info, "SpNo")),
            ThirdNo: NonEmpty(Value(info, "ThirdNo")),
            Status: ParseInt(statusText),
            // WeCom's element really is misspelt; the correct spelling is accepted in case it is ever fixed.
            StatusChangeEvent: ParseInt(NonEmpty(Value(info, "StatuChangeEvent")) ?? NonEmpty(Value(info, "StatusChangeEvent"))),
            TemplateId: templateId,
            OccurredAt: ParseUnixSeconds(Value(root, "CreateTime")),
            Payload: decryptedXml);
    }

    // WeCom sends no EventID today (docs/wecom.md §3); if one appears it is the natural key, else the whole message
    // decides, since twins and batch approvals share every individual field.
    private static string EventKey(XElement root, XElement? info, string decryptedXml)
    {
        var eventId = NonEmpty(Value(root, "EventID")) ?? NonEmpty(Value(info, "EventID"));
        if (eventId is not null && EventIdKeyPrefix.Length + eventId.Length <= MaxKeyLength)
        {
            return EventIdKeyPrefix + eventId;
        }

        return HashKeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(decryptedXml)));
    }

    private static XElement Load(string xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            throw ParseError("The document is empty.");
        }

        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), CreateReaderSettings());
            return XDocument.Load(reader, LoadOptions.None).Root ?? throw ParseError("The document has no root element.");
        }
        catch (XmlException e)
        {
            // Position only: XmlException messages quote parts of the payload.
            throw ParseError($"Malformed or forbidden XML at line {e.LineNumber}, position {e.LinePosition}.");
        }
    }

    private static XmlReaderSettings CreateReaderSettings() => new()
    {
        // Any DOCTYPE fails before an entity is declared: no XXE, no billion laughs.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        // 0 would mean unlimited; predefined entities and character references do not count towards this.
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = MaxDocumentCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    private static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, name, StringComparison.OrdinalIgnoreCase));

    private static string? Value(XElement? parent, string name) => Child(parent, name)?.Value.Trim();

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int? ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    // A missing or absurd CreateTime becomes the epoch: such an event can never overtake a dated one.
    private static DateTimeOffset ParseUnixSeconds(string? value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
        && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;

    private static void WriteCDataElement(XmlWriter writer, string name, string value)
    {
        writer.WriteStartElement(name);
        writer.WriteCData(value);
        writer.WriteEndElement();
    }

    private static WeComCryptoException ParseError(string message) => new(WeComErrorCodes.ParseXmlError, message);
}
