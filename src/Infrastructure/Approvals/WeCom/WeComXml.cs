using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
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

    // Read-only once a reader is created from it; every reader shares it.
    private static readonly XmlReaderSettings ReaderSettings = new()
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

    private static readonly string[] EnvelopeFields = ["Encrypt"];
    private static readonly string[] RootFields = ["MsgType", "Event", "CreateTime", "EventID"];
    private static readonly string[] InfoFields =
    [
        "SpStatus", "OpenSpStatus", "TemplateId", "OpenTemplateId", "SpNoStr", "SpNo", "ThirdNo", "StatuChangeEvent", "StatusChangeEvent", "EventID",
    ];

    /// <summary>The &lt;Encrypt&gt; text of a POST envelope, exactly as sent: it is what the signature covers.</summary>
    public static string ReadEncryptEnvelope(string xml)
    {
        var encrypt = Read(xml, EnvelopeFields, infoValues: null)[0];
        if (string.IsNullOrWhiteSpace(encrypt))
        {
            throw ParseError("The envelope has no Encrypt value.");
        }

        return encrypt;
    }

    public static WeComMessage ParseMessage(string decryptedXml)
    {
        var infoValues = new string?[InfoFields.Length];
        var rootValues = Read(decryptedXml, RootFields, infoValues);
        var root = new Fields(RootFields, rootValues);
        var info = new Fields(InfoFields, infoValues);
        var msgType = root.Value("MsgType");
        var eventName = root.Value("Event");
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

    private static ApprovalEvent ReadApproval(Fields root, Fields info, string key, string decryptedXml, string eventName, bool open)
    {
        // Only ApprovalInfo's own SpStatus is the form's status; SpRecord, Details and NodeList carry their own.
        var primaryStatus = open ? "OpenSpStatus" : "SpStatus";
        var fallbackStatus = open ? "SpStatus" : "OpenSpStatus";
        var statusText = NonEmpty(info.Value(primaryStatus)) ?? NonEmpty(info.Value(fallbackStatus));

        var templateId = open
            ? NonEmpty(info.Value("OpenTemplateId")) ?? NonEmpty(info.Value("TemplateId"))
            : NonEmpty(info.Value("TemplateId")) ?? NonEmpty(info.Value("OpenTemplateId"));

        return new ApprovalEvent(
            Key: key,
            EventName: eventName,
            SpNo: NonEmpty(info.Value("SpNoStr")) ?? NonEmpty(info.Value("SpNo")),
            ThirdNo: NonEmpty(info.Value("ThirdNo")),
            Status: ParseInt(statusText),
            // WeCom's element really is misspelt; the correct spelling is accepted in case it is ever fixed.
            StatusChangeEvent: ParseInt(NonEmpty(info.Value("StatuChangeEvent")) ?? NonEmpty(info.Value("StatusChangeEvent"))),
            TemplateId: templateId,
            OccurredAt: ParseUnixSeconds(root.Value("CreateTime")),
            Payload: decryptedXml);
    }

    // WeCom sends no EventID today (docs/wecom.md §3); if one appears it is the natural key, else the whole message
    // decides, since twins and batch approvals share every individual field.
    private static string EventKey(Fields root, Fields info, string decryptedXml)
    {
        var eventId = NonEmpty(root.Value("EventID")) ?? NonEmpty(info.Value("EventID"));
        if (eventId is not null && EventIdKeyPrefix.Length + eventId.Length <= MaxKeyLength)
        {
            return EventIdKeyPrefix + eventId;
        }

        return HashKeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(decryptedXml)));
    }

    /// <summary>
    /// One forward pass over the whole document (so malformed XML anywhere still fails): the text of the root's first
    /// child of each name in <paramref name="rootFields"/>, and of the first ApprovalInfo's first child of each name in
    /// <see cref="InfoFields"/> (into <paramref name="infoValues"/>, when given). Names match case-insensitively; an element's
    /// text is all its descendant text, as LINQ to XML's <c>XElement.Value</c> gives it. No tree is built.
    /// </summary>
    private static string?[] Read(string xml, string[] rootFields, string?[]? infoValues)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            throw ParseError("The document is empty.");
        }

        var rootValues = new string?[rootFields.Length];
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
            var infoSeen = infoValues is null;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1)
                {
                    continue;
                }

                if (!infoSeen && string.Equals(reader.LocalName, "ApprovalInfo", StringComparison.OrdinalIgnoreCase))
                {
                    infoSeen = true;
                    ReadChildren(reader, InfoFields, infoValues!);
                }
                else if (IndexOf(rootFields, reader.LocalName) is var i and >= 0 && rootValues[i] is null)
                {
                    rootValues[i] = ReadText(reader);
                }
            }
        }
        catch (XmlException e)
        {
            // Position only: XmlException messages quote parts of the payload.
            throw ParseError($"Malformed or forbidden XML at line {e.LineNumber}, position {e.LinePosition}.");
        }

        return rootValues;
    }

    /// <summary>From an element: the text of its first child of each name; leaves the reader on its end.</summary>
    private static void ReadChildren(XmlReader reader, string[] names, string?[] values)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1
                && IndexOf(names, reader.LocalName) is var i and >= 0 && values[i] is null)
            {
                values[i] = ReadText(reader);
            }
        }
    }

    /// <summary>From an element: all its descendant text; leaves the reader on its end.</summary>
    private static string ReadText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return "";
        }

        var depth = reader.Depth;
        string? single = null;
        StringBuilder? many = null;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
            {
                if (single is null)
                {
                    single = reader.Value;
                }
                else
                {
                    (many ??= new StringBuilder(single)).Append(reader.Value);
                }
            }
        }

        return many?.ToString() ?? single ?? "";
    }

    private static int IndexOf(string[] names, string name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

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

    /// <summary>Values read for <paramref name="names"/>; a name not read is null, like a missing element.</summary>
    private readonly struct Fields(string[] names, string?[] values)
    {
        public string? Value(string name) => values[IndexOf(names, name)]?.Trim();
    }
}
