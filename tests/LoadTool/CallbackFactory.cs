using System.Globalization;
using CrmIntegration.Infrastructure.Approvals.WeCom;

namespace CrmIntegration.LoadTool;

/// <summary>Signs and encrypts callbacks with the production WXBizMsgCrypt (docs/wecom.md §1-2), before any timing starts.</summary>
internal sealed class CallbackFactory(LoadOptions options)
{
    private const string AgentId = "3010040";

    private readonly WeComCallbackCrypto _crypto = new(options.Token, options.EncodingAesKey, options.CorpId);
    private readonly string _runId = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
    private int _nonce;

    /// <summary>open_approval_change for a quote; distinct per (quote, step) because CreateTime and approverstep differ.</summary>
    public SignedCallback OpenApprovalChange(string quoteNumber, int status, long createTime, int step) => Sign($"""
        <xml><ToUserName><![CDATA[{options.CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
        <CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[open_approval_change]]></Event>
        <AgentID>1000002</AgentID><ApprovalInfo><ThirdNo><![CDATA[{quoteNumber}]]></ThirdNo><OpenSpName><![CDATA[报价审批]]></OpenSpName>
        <OpenTemplateId><![CDATA[1234567890]]></OpenTemplateId><OpenSpStatus>{status}</OpenSpStatus><ApplyTime>{createTime - 60}</ApplyTime>
        <ApplyUserName><![CDATA[xiaoming]]></ApplyUserName><ApplyUserId><![CDATA[WangXiaoMing]]></ApplyUserId>
        <approverstep>{step}</approverstep></ApprovalInfo></xml>
        """);

    /// <summary>sys_approval_change for an sp_no no quote has: stored, processed, recorded as unmatched.</summary>
    public SignedCallback UnmatchedSysApprovalChange(int index, long createTime) => Sign($"""
        <xml><ToUserName><![CDATA[{options.CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
        <CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[sys_approval_change]]></Event>
        <AgentID>3010040</AgentID><ApprovalInfo><SpNoStr><![CDATA[9{_runId}{index:D6}]]></SpNoStr><SpNo>9{_runId}{index:D6}</SpNo>
        <SpName><![CDATA[报价审批]]></SpName><SpStatus>2</SpStatus><TemplateId><![CDATA[tpl-other]]></TemplateId>
        <ApplyTime>{createTime - 60}</ApplyTime><Applyer><UserId><![CDATA[WangXiaoMing]]></UserId><Party><![CDATA[1]]></Party></Applyer>
        <SpRecord><SpStatus>2</SpStatus><ApproverAttr>1</ApproverAttr><Details><Approver><UserId><![CDATA[LiuXiaoGang]]></UserId></Approver>
        <Speech><![CDATA[]]></Speech><SpStatus>2</SpStatus><SpTime>0</SpTime></Details></SpRecord>
        <StatuChangeEvent>2</StatuChangeEvent></ApprovalInfo></xml>
        """);

    private SignedCallback Sign(string message)
    {
        // The service refuses timestamps more than WeCom:Callback:MaxClockSkew away, so sign with now.
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Interlocked.Increment(ref _nonce).ToString(CultureInfo.InvariantCulture);
        var signed = _crypto.EncryptAndSign(message, timestamp, nonce);
        return new SignedCallback(
            $"/wecom/callback?msg_signature={signed.MsgSignature}&timestamp={signed.Timestamp}&nonce={signed.Nonce}",
            WeComXml.BuildEnvelope(signed.Encrypt, options.CorpId, AgentId));
    }
}
