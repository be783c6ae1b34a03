using System.Globalization;
using System.Text;

namespace CrmIntegration.Benchmarks.Approvals;

/// <summary>Decrypted callback bodies shaped as in docs/wecom.md §4, with the official vector B settings.</summary>
internal static class CallbackMessages
{
    public const string Token = "QDG6eK";
    public const string EncodingAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    public const string CorpId = "wx5823bf96d3bd56c7";

    public static string OpenApprovalChange(string thirdNo, int status, long createTime, int approverStep) => $"""
        <xml><ToUserName><![CDATA[{CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
        <CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[open_approval_change]]></Event>
        <AgentID>1000002</AgentID><ApprovalInfo><ThirdNo><![CDATA[{thirdNo}]]></ThirdNo><OpenSpName><![CDATA[报价审批]]></OpenSpName>
        <OpenTemplateId><![CDATA[1234567890]]></OpenTemplateId><OpenSpStatus>{status}</OpenSpStatus><ApplyTime>{createTime - 60}</ApplyTime>
        <ApplyUserName><![CDATA[xiaoming]]></ApplyUserName><ApplyUserId><![CDATA[WangXiaoMing]]></ApplyUserId>
        <approverstep>{approverStep}</approverstep></ApprovalInfo></xml>
        """;

    /// <summary>A sys_approval_change whose approver comment pads the UTF-8 body to exactly <paramref name="bytes"/>.</summary>
    public static string SysApprovalChange(string spNo, long createTime, int bytes = 0)
    {
        var head = $"""
            <xml><ToUserName><![CDATA[{CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
            <CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[sys_approval_change]]></Event>
            <AgentID>3010040</AgentID><ApprovalInfo><SpNoStr><![CDATA[{spNo}]]></SpNoStr><SpNo>{spNo}</SpNo>
            <SpName><![CDATA[报价审批]]></SpName><SpStatus>2</SpStatus><TemplateId><![CDATA[tpl-quote]]></TemplateId>
            <ApplyTime>{createTime - 60}</ApplyTime><Applyer><UserId><![CDATA[WangXiaoMing]]></UserId><Party><![CDATA[1]]></Party></Applyer>
            <SpRecord><SpStatus>2</SpStatus><ApproverAttr>1</ApproverAttr><Details><Approver><UserId><![CDATA[LiuXiaoGang]]></UserId></Approver>
            <Speech><![CDATA[
            """;
        var tail = """
            ]]></Speech><SpStatus>2</SpStatus><SpTime>0</SpTime></Details></SpRecord>
            <StatuChangeEvent>2</StatuChangeEvent></ApprovalInfo></xml>
            """;
        var padding = Math.Max(0, bytes - Encoding.UTF8.GetByteCount(head) - Encoding.UTF8.GetByteCount(tail));
        return string.Concat(head, new string('x', padding), tail);
    }

    public static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
