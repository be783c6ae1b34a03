using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using NUnit.Framework.Constraints;

namespace CrmIntegration.Application.UnitTests.Approvals.WeCom;

/// <summary>Payloads from docs/wecom.md §2 and §4, plus the variants WeCom and hostile senders produce.</summary>
public sealed partial class WeComXmlTests
{
    private const string Envelope =
        "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><Encrypt><![CDATA[Kl7kjoSf6DMD1zh7+/abc==]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";

    private const string SystemApproval = """
        <xml>
        <ToUserName><![CDATA[ww1cSD21f1e9c0caaa]]></ToUserName>
        <FromUserName><![CDATA[sys]]></FromUserName>
        <CreateTime>1571732272</CreateTime>
        <MsgType><![CDATA[event]]></MsgType>
        <Event><![CDATA[sys_approval_change]]></Event>
        <AgentID>3010040</AgentID>
        <ApprovalInfo>
        <SpNoStr><![CDATA[202506110001]]></SpNoStr>
        <SpNo>202506110001</SpNo>
        <SpName><![CDATA[示例模板]]></SpName>
        <SpStatus>1</SpStatus>
        <TemplateId><![CDATA[3TkaH5KFbrG9heEQWLJjhgpFwmqAFB4dLEnapaB7aaa]]></TemplateId>
        <ApplyTime>1571728713</ApplyTime>
        <Applyer><UserId><![CDATA[WuJunJie]]></UserId><Party><![CDATA[1]]></Party></Applyer>
        <SpRecord><SpStatus>1</SpStatus><ApproverAttr>2</ApproverAttr>
        <Details><Approver><UserId><![CDATA[WangXiaoMing]]></UserId></Approver><Speech><![CDATA[]]></Speech><SpStatus>1</SpStatus><SpTime>0</SpTime></Details>
        <Details><Approver><UserId><![CDATA[XiaoGangHuang]]></UserId></Approver><Speech><![CDATA[]]></Speech><SpStatus>1</SpStatus><SpTime>0</SpTime></Details>
        </SpRecord>
        <SpRecord><SpStatus>1</SpStatus><ApproverAttr>1</ApproverAttr>
        <Details><Approver><UserId><![CDATA[XiaoHongLiu]]></UserId></Approver><Speech><![CDATA[]]></Speech><SpStatus>1</SpStatus><SpTime>0</SpTime></Details>
        </SpRecord>
        <Notifyer><UserId><![CDATA[ChengLiang]]></UserId></Notifyer>
        <ProcessList>
        <NodeList><NodeType>1</NodeType><SpStatus>1</SpStatus><ApvRel>2</ApvRel>
        <SubNodeList><UserInfo><UserId><![CDATA[userid1]]></UserId></UserInfo><Speech><![CDATA[]]></Speech><SpYj>1</SpYj><Sptime>0</Sptime></SubNodeList>
        <SubNodeList><UserInfo><UserId><![CDATA[userid2]]></UserId></UserInfo><Speech><![CDATA[]]></Speech><SpYj>1</SpYj><Sptime>0</Sptime></SubNodeList>
        </NodeList>
        <NodeList><NodeType>2</NodeType><SubNodeList><UserInfo><UserId><![CDATA[userid3]]></UserId></UserInfo></SubNodeList></NodeList>
        </ProcessList>
        <Comments><CommentUserInfo><UserId><![CDATA[LiuZhi]]></UserId></CommentUserInfo><CommentTime>1571732272</CommentTime><CommentContent><![CDATA[这是一个备注]]></CommentContent><CommentId><![CDATA[6750538708562308220]]></CommentId></Comments>
        <StatuChangeEvent>10</StatuChangeEvent>
        </ApprovalInfo>
        </xml>
        """;

    private const string OpenApproval = """
        <xml>
        <ToUserName>wwddddccc7775555aaa</ToUserName>
        <FromUserName>sys</FromUserName>
        <CreateTime>1527838022</CreateTime>
        <MsgType>event</MsgType>
        <Event>open_approval_change</Event>
        <AgentID>1</AgentID>
        <ApprovalInfo>
        <ThirdNo>201806010001</ThirdNo>
        <OpenSpName>付款</OpenSpName>
        <OpenTemplateId>1234567890</OpenTemplateId>
        <OpenSpStatus>1</OpenSpStatus>
        <ApplyTime>1527837645</ApplyTime>
        <ApplyUserName>xiaoming</ApplyUserName>
        <ApplyUserId>1</ApplyUserId>
        <ApplyUserParty>产品部</ApplyUserParty>
        <ApplyUserImage>http://www.qq.com/xxx.png</ApplyUserImage>
        <ApprovalNodes><ApprovalNode><NodeStatus>1</NodeStatus><NodeAttr>1</NodeAttr><NodeType>1</NodeType>
        <Items><Item><ItemName>xiaohong</ItemName><ItemUserId>2</ItemUserId><ItemImage>http://www.qq.com/xxx.png</ItemImage><ItemStatus>1</ItemStatus><ItemSpeech></ItemSpeech><ItemOpTime>0</ItemOpTime></Item></Items>
        </ApprovalNode></ApprovalNodes>
        <NotifyNodes><NotifyNode><ItemName>xiaogang</ItemName><ItemUserId>3</ItemUserId><ItemImage>http://www.qq.com/xxx.png</ItemImage></NotifyNode></NotifyNodes>
        <approverstep>0</approverstep>
        </ApprovalInfo>
        </xml>
        """;

    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <xml><ToUserName>x</ToUserName><Encrypt>&lol9;</Encrypt><AgentID>1</AgentID></xml>
        """;

    [Test]
    public void ReadEncryptEnvelope_WhenCData_ReturnsEncryptText()
    {
        Assert.That(WeComXml.ReadEncryptEnvelope(Envelope), Is.EqualTo("Kl7kjoSf6DMD1zh7+/abc=="));
    }

    [Test]
    public void ReadEncryptEnvelope_WhenPlainTextAndIndented_ReturnsEncryptText()
    {
        const string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xml>\n  <ToUserName>ww1</ToUserName>\n  <AgentID>1</AgentID>\n  <Encrypt>Kl7k+/abc==</Encrypt>\n</xml>\n";

        Assert.That(WeComXml.ReadEncryptEnvelope(xml), Is.EqualTo("Kl7k+/abc=="));
    }

    [Test]
    public void ReadEncryptEnvelope_WhenEncryptHasEscapedCharacters_ReturnsUnescapedText()
    {
        Assert.That(WeComXml.ReadEncryptEnvelope("<xml><Encrypt>a&amp;b&#43;c</Encrypt></xml>"), Is.EqualTo("a&b+c"));
    }

    [TestCase("<xml><ToUserName>ww1</ToUserName><AgentID>1</AgentID></xml>")]
    [TestCase("<xml><Encrypt></Encrypt></xml>")]
    [TestCase("<xml><Encrypt><![CDATA[]]></Encrypt></xml>")]
    [TestCase("<xml><Encrypt>   </Encrypt></xml>")]
    [TestCase("<xml><Other><Encrypt>nested</Encrypt></Other></xml>")]
    public void ReadEncryptEnvelope_WhenEncryptIsMissingOrEmpty_ThrowsParseXmlError(string xml)
    {
        Assert.That(() => WeComXml.ReadEncryptEnvelope(xml), ThrowsParseXmlError());
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("not xml")]
    [TestCase("<xml><Encrypt>abc</Encrypt>")]
    [TestCase("<xml><Encrypt>abc</Encrypt></xml><xml/>")]
    [TestCase("<xml><Encrypt>a&b</Encrypt></xml>")]
    [TestCase("<xml><Encrypt>abc</encrypt></xml>")]
    [TestCase("{\"Encrypt\":\"abc\"}")]
    public void ReadEncryptEnvelope_WhenMalformed_ThrowsParseXmlError(string xml)
    {
        Assert.That(() => WeComXml.ReadEncryptEnvelope(xml), ThrowsParseXmlError());
    }

    [Test]
    public void ReadEncryptEnvelope_WhenNull_ThrowsParseXmlError()
    {
        Assert.That(() => WeComXml.ReadEncryptEnvelope(null!), ThrowsParseXmlError());
    }

    [Test]
    public void ReadEncryptEnvelope_WhenExternalEntityIsDeclared_ThrowsParseXmlErrorWithoutReadingIt()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE xml [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <xml><ToUserName>x</ToUserName><Encrypt>&xxe;</Encrypt><AgentID>1</AgentID></xml>
            """;

        var error = Assert.Throws<WeComCryptoException>(() => WeComXml.ReadEncryptEnvelope(xml));

        Assert.That(error.Code, Is.EqualTo(WeComErrorCodes.ParseXmlError));
        Assert.That(error.ToString(), Does.Not.Contain("root:"));
    }

    [Test]
    public void ReadEncryptEnvelope_WhenExternalDtdIsReferenced_ThrowsParseXmlError()
    {
        const string xml = """<!DOCTYPE xml SYSTEM "http://127.0.0.1:1/evil.dtd"><xml><Encrypt>abc</Encrypt></xml>""";

        Assert.That(() => WeComXml.ReadEncryptEnvelope(xml), ThrowsParseXmlError());
    }

    [Test]
    public void ReadEncryptEnvelope_WhenBillionLaughs_ThrowsParseXmlErrorWithoutExpanding()
    {
        var clock = Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(() => WeComXml.ReadEncryptEnvelope(BillionLaughs), ThrowsParseXmlError());

        // Expanding lol9 would take ~3 GB and many seconds.
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - allocated, Is.LessThan(10_000_000));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void ParseMessage_WhenDtdIsPresent_ThrowsParseXmlError()
    {
        var xml = BillionLaughs.Replace("<Encrypt>&lol9;</Encrypt>", "<Event>&lol9;</Event>", StringComparison.Ordinal);

        Assert.That(() => WeComXml.ParseMessage(xml), ThrowsParseXmlError());
        Assert.That(() => WeComXml.ParseMessage("<!DOCTYPE xml><xml><Event>sys_approval_change</Event></xml>"), ThrowsParseXmlError());
    }

    [Test]
    public void BuildEnvelope_WhenRead_ReturnsTheSameEncrypt()
    {
        const string encrypt = "Kl7kjoSf6DMD1zh7+/abc==";

        var xml = WeComXml.BuildEnvelope(encrypt, "ww1436e0e65a779aee", "1000002");

        Assert.That(xml, Does.StartWith("<xml><ToUserName>"));
        Assert.That(WeComXml.ReadEncryptEnvelope(xml), Is.EqualTo(encrypt));
    }

    [TestCase("a]]>b")]
    [TestCase("<x>&amp;\"'")]
    [TestCase("]]>]]>")]
    public void BuildEnvelope_WhenValueNeedsEscaping_RoundTrips(string value)
    {
        var xml = WeComXml.BuildEnvelope(value, "to&<", "1");

        Assert.That(WeComXml.ReadEncryptEnvelope(xml), Is.EqualTo(value));
    }

    [Test]
    public void BuildEnvelope_WhenValueHasAnInvalidXmlCharacter_ThrowsGenReturnXmlError()
    {
        Assert.That(
            () => WeComXml.BuildEnvelope("abc\0", "to", "1"),
            Throws.TypeOf<WeComCryptoException>().With.Property(nameof(WeComCryptoException.Code)).EqualTo(WeComErrorCodes.GenReturnXmlError));
    }

    [Test]
    public void ParseMessage_WhenSystemApprovalSample_ReadsApprovalInfo()
    {
        var message = WeComXml.ParseMessage(SystemApproval);

        Assert.That(message.MsgType, Is.EqualTo("event"));
        Assert.That(message.Event, Is.EqualTo("sys_approval_change"));
        Assert.That(message.Approval, Is.Not.Null);
        var approval = message.Approval!;
        Assert.That(approval.EventName, Is.EqualTo(ApprovalEvent.SystemApprovalChange));
        Assert.That(approval.SpNo, Is.EqualTo("202506110001"));
        Assert.That(approval.ThirdNo, Is.Null);
        Assert.That(approval.Status, Is.EqualTo(1));
        Assert.That(approval.StatusChangeEvent, Is.EqualTo(10));
        Assert.That(approval.TemplateId, Is.EqualTo("3TkaH5KFbrG9heEQWLJjhgpFwmqAFB4dLEnapaB7aaa"));
        Assert.That(approval.OccurredAt, Is.EqualTo(new DateTimeOffset(2019, 10, 22, 8, 17, 52, TimeSpan.Zero)));
        Assert.That(approval.OccurredAt.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(approval.Payload, Is.SameAs(SystemApproval));
        Assert.That(approval.Key, Is.EqualTo("sha256:" + Sha256Hex(SystemApproval)));
    }

    [Test]
    public void ParseMessage_WhenSystemApprovalWithoutCData_ReadsTheSameFields()
    {
        var plain = StripCData(SystemApproval);
        Assume.That(plain, Does.Not.Contain("CDATA"));

        var approval = WeComXml.ParseMessage(plain).Approval!;
        var expected = WeComXml.ParseMessage(SystemApproval).Approval!;

        Assert.That(approval with { Key = "", Payload = "" }, Is.EqualTo(expected with { Key = "", Payload = "" }));
        Assert.That(approval.Key, Is.Not.EqualTo(expected.Key));
    }

    [Test]
    public void ParseMessage_WhenOpenApprovalSample_ReadsApprovalInfo()
    {
        var message = WeComXml.ParseMessage(OpenApproval);

        Assert.That(message.MsgType, Is.EqualTo("event"));
        Assert.That(message.Event, Is.EqualTo("open_approval_change"));
        var approval = message.Approval!;
        Assert.That(approval.EventName, Is.EqualTo(ApprovalEvent.OpenApprovalChange));
        Assert.That(approval.ThirdNo, Is.EqualTo("201806010001"));
        Assert.That(approval.SpNo, Is.Null);
        Assert.That(approval.Status, Is.EqualTo(1));
        Assert.That(approval.StatusChangeEvent, Is.Null);
        Assert.That(approval.TemplateId, Is.EqualTo("1234567890"));
        Assert.That(approval.OccurredAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1527838022)));
        Assert.That(approval.Payload, Is.SameAs(OpenApproval));
        Assert.That(approval.Key, Does.StartWith("sha256:").And.Length.EqualTo(71));
    }

    [Test]
    public void ParseMessage_WhenOpenApprovalInCData_ReadsTheSameFields()
    {
        var wrapped = LeafText().Replace(OpenApproval, m => $"<{m.Groups[1].Value}><![CDATA[{m.Groups[2].Value}]]></{m.Groups[1].Value}>");
        Assume.That(wrapped, Does.Contain("<ThirdNo><![CDATA[201806010001]]></ThirdNo>"));

        var approval = WeComXml.ParseMessage(wrapped).Approval!;
        var expected = WeComXml.ParseMessage(OpenApproval).Approval!;

        Assert.That(approval with { Key = "", Payload = "" }, Is.EqualTo(expected with { Key = "", Payload = "" }));
    }

    [Test]
    public void ParseMessage_WhenSpNoStrAndSpNoDiffer_PrefersSpNoStr()
    {
        var xml = SystemApproval.Replace("<SpNo>202506110001</SpNo>", "<SpNo>201910220003</SpNo>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.SpNo, Is.EqualTo("202506110001"));
    }

    [TestCase("")]
    [TestCase("<SpNoStr><![CDATA[]]></SpNoStr>")]
    [TestCase("<SpNoStr>  </SpNoStr>")]
    [TestCase("<SpNoStr/>")]
    public void ParseMessage_WhenSpNoStrIsMissingOrEmpty_FallsBackToSpNo(string spNoStr)
    {
        var xml = SystemApproval
            .Replace("<SpNoStr><![CDATA[202506110001]]></SpNoStr>", spNoStr, StringComparison.Ordinal)
            .Replace("<SpNo>202506110001</SpNo>", "<SpNo> 201910220003 </SpNo>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.SpNo, Is.EqualTo("201910220003"));
    }

    [Test]
    public void ParseMessage_WhenNeitherSpNoStrNorSpNo_HasNullSpNo()
    {
        var xml = SystemApproval
            .Replace("<SpNoStr><![CDATA[202506110001]]></SpNoStr>", "", StringComparison.Ordinal)
            .Replace("<SpNo>202506110001</SpNo>", "", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.SpNo, Is.Null);
    }

    [Test]
    public void ParseMessage_WhenNestedSpStatusDiffers_UsesApprovalInfoSpStatus()
    {
        var xml = SystemApproval.Replace("<SpStatus>1</SpStatus>\n<TemplateId>", "<SpStatus>2</SpStatus>\n<TemplateId>", StringComparison.Ordinal);
        Assume.That(xml, Is.Not.EqualTo(SystemApproval));

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Status, Is.EqualTo(2));
    }

    [Test]
    public void ParseMessage_WhenTopLevelSpStatusComesAfterSpRecords_StillUsesIt()
    {
        var xml = SystemApproval
            .Replace("<SpStatus>1</SpStatus>\n<TemplateId>", "<TemplateId>", StringComparison.Ordinal)
            .Replace("<StatuChangeEvent>10</StatuChangeEvent>", "<StatuChangeEvent>2</StatuChangeEvent><SpStatus>2</SpStatus>", StringComparison.Ordinal);

        var approval = WeComXml.ParseMessage(xml).Approval!;

        Assert.That(approval.Status, Is.EqualTo(2));
        Assert.That(approval.StatusChangeEvent, Is.EqualTo(2));
    }

    [Test]
    public void ParseMessage_WhenOnlyNestedSpStatusExists_HasNullStatus()
    {
        var xml = SystemApproval.Replace("<SpStatus>1</SpStatus>\n<TemplateId>", "<TemplateId>", StringComparison.Ordinal);
        Assume.That(xml, Does.Contain("<SpRecord><SpStatus>1</SpStatus>"));

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Status, Is.Null);
    }

    [Test]
    public void ParseMessage_WhenElementNamesDifferInCase_ReadsThem()
    {
        var xml = OpenApproval
            .Replace("ThirdNo>", "thirdno>", StringComparison.Ordinal)
            .Replace("OpenSpStatus>", "OPENSPSTATUS>", StringComparison.Ordinal)
            .Replace("OpenTemplateId>", "openTemplateID>", StringComparison.Ordinal)
            .Replace("CreateTime>", "createtime>", StringComparison.Ordinal)
            .Replace("ApprovalInfo>", "approvalinfo>", StringComparison.Ordinal)
            .Replace("approverstep>", "APPROVERSTEP>", StringComparison.Ordinal)
            .Replace("ItemUserId>", "ItemUserid>", StringComparison.Ordinal);

        var approval = WeComXml.ParseMessage(xml).Approval!;

        Assert.That(approval.ThirdNo, Is.EqualTo("201806010001"));
        Assert.That(approval.Status, Is.EqualTo(1));
        Assert.That(approval.TemplateId, Is.EqualTo("1234567890"));
        Assert.That(approval.OccurredAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1527838022)));
    }

    [Test]
    public void ParseMessage_WhenApproverStepIsCamelCase_ParsesTheSame()
    {
        var xml = OpenApproval.Replace("approverstep>", "ApproverStep>", StringComparison.Ordinal);

        var approval = WeComXml.ParseMessage(xml).Approval!;
        var expected = WeComXml.ParseMessage(OpenApproval).Approval!;

        Assert.That(approval with { Key = "", Payload = "" }, Is.EqualTo(expected with { Key = "", Payload = "" }));
    }

    [Test]
    public void ParseMessage_WhenSystemApprovalHasOnlyOpenSpStatus_UsesIt()
    {
        var xml = SystemApproval.Replace("<SpStatus>1</SpStatus>\n<TemplateId>", "<OpenSpStatus>3</OpenSpStatus>\n<TemplateId>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Status, Is.EqualTo(3));
    }

    [Test]
    public void ParseMessage_WhenOpenApprovalHasOnlySpStatus_UsesIt()
    {
        var xml = OpenApproval.Replace("<OpenSpStatus>1</OpenSpStatus>", "<SpStatus>4</SpStatus>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Status, Is.EqualTo(4));
    }

    [Test]
    public void ParseMessage_WhenBothStatusesPresent_EachEventPrefersItsOwn()
    {
        var open = OpenApproval.Replace("<OpenSpStatus>1</OpenSpStatus>", "<SpStatus>4</SpStatus><OpenSpStatus>2</OpenSpStatus>", StringComparison.Ordinal);
        var system = SystemApproval.Replace("<SpStatus>1</SpStatus>\n<TemplateId>", "<OpenSpStatus>3</OpenSpStatus><SpStatus>2</SpStatus>\n<TemplateId>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(open).Approval!.Status, Is.EqualTo(2));
        Assert.That(WeComXml.ParseMessage(system).Approval!.Status, Is.EqualTo(2));
    }

    [TestCase(" 2 ", 2)]
    [TestCase("\n\t6\n", 6)]
    [TestCase("<![CDATA[ 10 ]]>", 10)]
    [TestCase("", null)]
    [TestCase("   ", null)]
    [TestCase("abc", null)]
    [TestCase("2.0", null)]
    [TestCase("1e3", null)]
    [TestCase("99999999999999999999", null)]
    [TestCase("2147483648", null)]
    [TestCase("0x10", null)]
    public void ParseMessage_WhenStatusIsPaddedOrOdd_ParsesOrGivesNull(string raw, int? expected)
    {
        var xml = SystemApproval
            .Replace("<SpStatus>1</SpStatus>\n<TemplateId>", $"<SpStatus>{raw}</SpStatus>\n<TemplateId>", StringComparison.Ordinal)
            .Replace("<StatuChangeEvent>10</StatuChangeEvent>", $"<StatuChangeEvent>{raw}</StatuChangeEvent>", StringComparison.Ordinal);

        var approval = WeComXml.ParseMessage(xml).Approval!;

        Assert.That(approval.Status, Is.EqualTo(expected));
        Assert.That(approval.StatusChangeEvent, Is.EqualTo(expected));
    }

    [TestCase("<CreateTime>\n 1571732272 \n</CreateTime>", 1571732272L)]
    [TestCase("<CreateTime></CreateTime>", 0L)]
    [TestCase("", 0L)]
    [TestCase("<CreateTime>soon</CreateTime>", 0L)]
    [TestCase("<CreateTime>99999999999999999999</CreateTime>", 0L)]
    [TestCase("<CreateTime>9223372036854775807</CreateTime>", 0L)]
    public void ParseMessage_WhenCreateTimeIsPaddedOrOdd_ParsesOrFallsBackToEpoch(string element, long expectedSeconds)
    {
        var xml = SystemApproval.Replace("<CreateTime>1571732272</CreateTime>", element, StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.OccurredAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(expectedSeconds)));
    }

    [Test]
    public void ParseMessage_WhenEventIdAtRoot_UsesItAsKey()
    {
        var xml = SystemApproval.Replace("<AgentID>3010040</AgentID>", "<AgentID>3010040</AgentID><EventID><![CDATA[ ev-123 ]]></EventID>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Key, Is.EqualTo("eventid:ev-123"));
    }

    [Test]
    public void ParseMessage_WhenEventIdInApprovalInfoInAnyCase_UsesItAsKey()
    {
        var xml = OpenApproval.Replace("<ThirdNo>", "<eventid>42</eventid><ThirdNo>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Key, Is.EqualTo("eventid:42"));
    }

    [Test]
    public void ParseMessage_WhenEventIdIsEmpty_UsesHashKey()
    {
        var xml = OpenApproval.Replace("<ThirdNo>", "<EventID> </EventID><ThirdNo>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Key, Is.EqualTo("sha256:" + Sha256Hex(xml)));
    }

    [Test]
    public void ParseMessage_WhenEventIdWouldMakeKeyLongerThan128_UsesHashKey()
    {
        var fits = new string('a', 120);
        var tooLong = new string('a', 121);

        var fitting = WeComXml.ParseMessage(OpenApproval.Replace("<ThirdNo>", $"<EventID>{fits}</EventID><ThirdNo>", StringComparison.Ordinal));
        var longXml = OpenApproval.Replace("<ThirdNo>", $"<EventID>{tooLong}</EventID><ThirdNo>", StringComparison.Ordinal);

        Assert.That(fitting.Approval!.Key, Is.EqualTo("eventid:" + fits).And.Length.EqualTo(128));
        Assert.That(WeComXml.ParseMessage(longXml).Approval!.Key, Is.EqualTo("sha256:" + Sha256Hex(longXml)));
    }

    [Test]
    public void ParseMessage_WhenEventIdIsNestedDeeper_IgnoresIt()
    {
        var xml = SystemApproval.Replace("<Speech><![CDATA[]]></Speech>", "<EventID>not-ours</EventID>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Key, Does.StartWith("sha256:"));
    }

    [Test]
    public void ParseMessage_WhenSameXmlTwice_GivesTheSameKey()
    {
        var first = WeComXml.ParseMessage(SystemApproval).Approval!;
        var second = WeComXml.ParseMessage(new string(SystemApproval.AsSpan())).Approval!;

        Assert.That(second.Key, Is.EqualTo(first.Key));
    }

    [Test]
    public void ParseMessage_WhenXmlDiffersOnlyInSpNo_GivesDifferentKeys()
    {
        var other = SystemApproval.Replace("<SpNo>202506110001</SpNo>", "<SpNo>202506110002</SpNo>", StringComparison.Ordinal);

        var first = WeComXml.ParseMessage(SystemApproval).Approval!;
        var second = WeComXml.ParseMessage(other).Approval!;

        Assert.That(second.SpNo, Is.EqualTo(first.SpNo), "SpNoStr wins, so only the hash tells them apart");
        Assert.That(second.Key, Is.Not.EqualTo(first.Key));
    }

    [Test]
    public void ParseMessage_WhenBatchEventsShareCreateTime_GivesDifferentKeys()
    {
        var other = SystemApproval.Replace("<SpNoStr><![CDATA[202506110001]]></SpNoStr>", "<SpNoStr><![CDATA[202506110002]]></SpNoStr>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(other).Approval!.Key, Is.Not.EqualTo(WeComXml.ParseMessage(SystemApproval).Approval!.Key));
    }

    [TestCase("<xml><MsgType>event</MsgType><Event>change_contact</Event><CreateTime>1</CreateTime></xml>", "event", "change_contact")]
    [TestCase("<xml><MsgType>event</MsgType><Event>some_future_event</Event><ApprovalInfo><SpStatus>2</SpStatus></ApprovalInfo></xml>", "event", "some_future_event")]
    [TestCase("<xml><MsgType><![CDATA[text]]></MsgType><Content>你好</Content></xml>", "text", null)]
    [TestCase("<xml/>", null, null)]
    [TestCase("<root><Whatever a=\"1\">x</Whatever></root>", null, null)]
    public void ParseMessage_WhenNotAnApprovalEvent_ReturnsNullApproval(string xml, string? msgType, string? eventName)
    {
        var message = WeComXml.ParseMessage(xml);

        Assert.That(message, Is.EqualTo(new WeComMessage(msgType, eventName, null) { Key = "sha256:" + Sha256Hex(xml) }));
    }

    [Test]
    public void ParseMessage_WhenNotAnApprovalEventButHasEventId_KeysOnIt()
    {
        var message = WeComXml.ParseMessage("<xml><MsgType>event</MsgType><Event>change_contact</Event><EventID>e1</EventID></xml>");

        Assert.That(message.Key, Is.EqualTo("eventid:e1"));
    }

    [TestCase(SystemApproval)]
    [TestCase(OpenApproval)]
    public void ParseMessage_WhenApprovalEvent_MessageKeyEqualsApprovalKey(string xml)
    {
        var message = WeComXml.ParseMessage(xml);

        Assert.That(message.Key, Is.EqualTo(message.Approval!.Key));
    }

    [Test]
    public void ParseMessage_WhenOfficialTextMessage_ReturnsNullApproval()
    {
        const string xml = "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";

        var message = WeComXml.ParseMessage(xml);

        Assert.That(message.MsgType, Is.EqualTo("text"));
        Assert.That(message.Approval, Is.Null);
    }

    [Test]
    public void ParseMessage_WhenApprovalEventHasUnknownElementsAndCodes_StillParses()
    {
        var xml = SystemApproval
            .Replace("<StatuChangeEvent>10</StatuChangeEvent>", "<StatuChangeEvent>99</StatuChangeEvent><NewThing><Deep a=\"b\">1</Deep></NewThing>", StringComparison.Ordinal)
            .Replace("<SpStatus>1</SpStatus>\n<TemplateId>", "<SpStatus>42</SpStatus>\n<TemplateId>", StringComparison.Ordinal);

        var approval = WeComXml.ParseMessage(xml).Approval!;

        Assert.That(approval.Status, Is.EqualTo(42));
        Assert.That(approval.StatusChangeEvent, Is.EqualTo(99));
    }

    [Test]
    public void ParseMessage_WhenApprovalEventLacksApprovalInfo_ReturnsApprovalWithNullFields()
    {
        const string xml = "<xml><CreateTime>1571732272</CreateTime><MsgType>event</MsgType><Event>sys_approval_change</Event></xml>";

        var approval = WeComXml.ParseMessage(xml).Approval!;

        Assert.That(approval.SpNo, Is.Null);
        Assert.That(approval.ThirdNo, Is.Null);
        Assert.That(approval.Status, Is.Null);
        Assert.That(approval.TemplateId, Is.Null);
        Assert.That(approval.Key, Does.StartWith("sha256:"));
    }

    [Test]
    public void ParseMessage_WhenSystemApprovalCarriesThirdNo_ReadsIt()
    {
        var xml = SystemApproval.Replace("<SpName>", "<ThirdNo>Q-2025-0001</ThirdNo><SpName>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.ThirdNo, Is.EqualTo("Q-2025-0001"));
    }

    [Test]
    public void ParseMessage_WhenManyPredefinedEntities_Parses()
    {
        var content = string.Concat(Enumerable.Repeat("&amp;&lt;&#x4F60;", 5000));
        var xml = SystemApproval.Replace("<SpName><![CDATA[示例模板]]></SpName>", $"<SpName>{content}</SpName>", StringComparison.Ordinal);

        Assert.That(WeComXml.ParseMessage(xml).Approval!.Status, Is.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("<xml><Event>sys_approval_change</Event>")]
    [TestCase("<xml><Event>sys_approval_change</Event></xml>trailing")]
    [TestCase("<xml><ApprovalInfo><SpStatus>1</SpStatus></xml>")]
    [TestCase("<xml>\u0001</xml>")]
    public void ParseMessage_WhenMalformed_ThrowsParseXmlError(string xml)
    {
        Assert.That(() => WeComXml.ParseMessage(xml), ThrowsParseXmlError());
    }

    [Test]
    public void ParseMessage_WhenMalformed_MessageDoesNotQuoteThePayload()
    {
        var error = Assert.Throws<WeComCryptoException>(() => WeComXml.ParseMessage("<xml><secret-value></xml>"));

        Assert.That(error.Message, Does.Not.Contain("secret-value"));
    }

    private static IResolveConstraint ThrowsParseXmlError() =>
        Throws.TypeOf<WeComCryptoException>().With.Property(nameof(WeComCryptoException.Code)).EqualTo(WeComErrorCodes.ParseXmlError);

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string StripCData(string xml) => CData().Replace(xml, m => System.Security.SecurityElement.Escape(m.Groups[1].Value) ?? string.Empty);

    [GeneratedRegex(@"<!\[CDATA\[(.*?)\]\]>", RegexOptions.Singleline)]
    private static partial Regex CData();

    [GeneratedRegex(@"<(\w+)>([^<]+)</\1>")]
    private static partial Regex LeafText();
}
