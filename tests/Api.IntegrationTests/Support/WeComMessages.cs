namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>Decrypted callback bodies shaped as in docs/wecom.md §4.</summary>
internal static class WeComMessages
{
    public static string OpenApprovalChange(string thirdNo, int status, long createTime, int approverStep = 0) => $"""
        <xml><ToUserName><![CDATA[{WeComCallbackClient.CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
        <CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[open_approval_change]]></Event>
        <AgentID>1000002</AgentID><ApprovalInfo><ThirdNo><![CDATA[{thirdNo}]]></ThirdNo><OpenSpName><![CDATA[报价审批]]></OpenSpName>
        <OpenTemplateId><![CDATA[1234567890]]></OpenTemplateId><OpenSpStatus>{status}</OpenSpStatus><ApplyTime>{createTime - 60}</ApplyTime>
        <ApplyUserName><![CDATA[xiaoming]]></ApplyUserName><ApplyUserId><![CDATA[WangXiaoMing]]></ApplyUserId>
        <approverstep>{approverStep}</approverstep></ApprovalInfo></xml>
        """;

    public static string SysApprovalChange(string spNo, int spStatus, int statusChangeEvent, long createTime) => $"""
        <xml><ToUserName><![CDATA[{WeComCallbackClient.CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
        <CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[sys_approval_change]]></Event>
        <AgentID>3010040</AgentID><ApprovalInfo><SpNoStr><![CDATA[{spNo}]]></SpNoStr><SpNo>{spNo}</SpNo>
        <SpName><![CDATA[报价审批]]></SpName><SpStatus>{spStatus}</SpStatus><TemplateId><![CDATA[tpl-quote]]></TemplateId>
        <ApplyTime>{createTime - 60}</ApplyTime><Applyer><UserId><![CDATA[WangXiaoMing]]></UserId><Party><![CDATA[1]]></Party></Applyer>
        <SpRecord><SpStatus>1</SpStatus><ApproverAttr>1</ApproverAttr><Details><Approver><UserId><![CDATA[LiuXiaoGang]]></UserId></Approver>
        <Speech><![CDATA[]]></Speech><SpStatus>1</SpStatus><SpTime>0</SpTime></Details></SpRecord>
        <StatuChangeEvent>{statusChangeEvent}</StatuChangeEvent></ApprovalInfo></xml>
        """;

    public static string TextMessage(long createTime) => $"""
        <xml><ToUserName><![CDATA[{WeComCallbackClient.CorpId}]]></ToUserName><FromUserName><![CDATA[ChenJiaShun]]></FromUserName>
        <CreateTime>{createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content>
        <MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>
        """;
}
