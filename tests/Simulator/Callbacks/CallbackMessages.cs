using System.Globalization;
using System.Xml.Linq;
using CrmIntegration.Simulator.State;

namespace CrmIntegration.Simulator.Callbacks;

/// <summary>Decrypted callback messages shaped as docs/wecom.md §4.1 and §4.2.</summary>
internal static class CallbackMessages
{
    public const string SysApprovalChange = "sys_approval_change";
    public const string OpenApprovalChange = "open_approval_change";

    public static string Sys(Approval a, int statuChangeEvent, long createTime, string corpId, string agentId)
    {
        var info = new XElement("ApprovalInfo",
            Cdata("SpNoStr", a.SpNo),
            new XElement("SpNo", a.SpNo),
            Cdata("SpName", a.SpName),
            new XElement("SpStatus", a.SpStatus),
            Cdata("TemplateId", a.TemplateId),
            new XElement("ApplyTime", a.ApplyTime),
            new XElement("Applyer", Cdata("UserId", a.Creator), Cdata("Party", a.Party)));
        foreach (var node in a.Nodes)
        {
            info.Add(new XElement("SpRecord",
                new XElement("SpStatus", node.Status),
                new XElement("ApproverAttr", node.Attr),
                node.Details.Select(d => new XElement("Details",
                    new XElement("Approver", Cdata("UserId", d.UserId)),
                    Cdata("Speech", d.Speech),
                    new XElement("SpStatus", d.Status),
                    new XElement("SpTime", d.SpTime)))));
        }

        foreach (var notifyer in a.Notifyers)
        {
            info.Add(new XElement("Notifyer", Cdata("UserId", notifyer)));
        }

        info.Add(new XElement("StatuChangeEvent", statuChangeEvent));
        return Envelope(corpId, createTime, SysApprovalChange, agentId, info);
    }

    public static string Open(OpenApproval o, long createTime, string corpId, string agentId)
    {
        var info = new XElement("ApprovalInfo",
            new XElement("ThirdNo", o.ThirdNo),
            new XElement("OpenSpName", o.OpenSpName),
            new XElement("OpenTemplateId", o.OpenTemplateId),
            new XElement("OpenSpStatus", o.Status),
            new XElement("ApplyTime", o.ApplyTime),
            new XElement("ApplyUserName", o.ApplyUserName),
            new XElement("ApplyUserId", o.ApplyUserId),
            new XElement("ApplyUserParty", o.ApplyUserParty),
            new XElement("ApplyUserImage", "http://www.qq.com/xxx.png"),
            new XElement("ApprovalNodes", new XElement("ApprovalNode",
                new XElement("NodeStatus", o.ApproverStatus),
                new XElement("NodeAttr", 1),
                new XElement("NodeType", 1),
                new XElement("Items", new XElement("Item",
                    new XElement("ItemName", o.ApproverUserId),
                    new XElement("ItemUserId", o.ApproverUserId),
                    new XElement("ItemImage", "http://www.qq.com/xxx.png"),
                    new XElement("ItemStatus", o.ApproverStatus),
                    new XElement("ItemSpeech", ""),
                    new XElement("ItemOpTime", o.ApproverOpTime))))),
            new XElement("NotifyNodes"),
            new XElement("approverstep", o.ApproverStep));
        return Envelope(corpId, createTime, OpenApprovalChange, agentId, info);
    }

    private static string Envelope(string corpId, long createTime, string eventName, string agentId, XElement info) =>
        new XElement("xml",
            Cdata("ToUserName", corpId),
            Cdata("FromUserName", "sys"),
            new XElement("CreateTime", createTime.ToString(CultureInfo.InvariantCulture)),
            Cdata("MsgType", "event"),
            Cdata("Event", eventName),
            new XElement("AgentID", agentId),
            info).ToString(SaveOptions.DisableFormatting);

    private static XElement Cdata(string name, string value) => new(name, new XCData(value));
}
