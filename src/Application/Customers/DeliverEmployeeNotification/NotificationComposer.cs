using System.Globalization;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Customers.DeliverEmployeeNotification;

/// <summary>
/// Writes a notification as the template's values (thing1: what, time2: when, phrase3: status; see
/// docs/wechat-miniprogram.md §6): what the employee reads is decided here; each channel's adapter cuts the values to
/// WeChat's per-key limits.
/// </summary>
public sealed class NotificationComposer(IOptions<MiniProgramOptions> miniProgram, IOptions<NotificationsOptions> notifications)
{
    public const string WhatKey = "thing1";
    public const string WhenKey = "time2";
    public const string StatusKey = "phrase3";

    public OutgoingNotification Compose(EmployeeNotification n, string openId)
    {
        var what = n.Kind == NotificationKind.Single
            ? $"新分配客户：{n.CustomerNames}"
            : $"新分配客户{n.CustomerCount}位：{n.CustomerNames}";
        var when = n.AssignedAt.ToOffset(notifications.Value.UtcOffset).ToString("yyyy年MM月dd日 HH:mm", CultureInfo.InvariantCulture);
        var page = n.Kind == NotificationKind.Single
            ? $"{miniProgram.Value.Page}?customerId={n.CustomerId}"
            : $"{miniProgram.Value.Page}?batchId={n.OperationId:N}";
        var data = new Dictionary<string, string>
        {
            [WhatKey] = what,
            [WhenKey] = when,
            [StatusKey] = "待跟进",
        };
        return new OutgoingNotification(n.Id, openId, page, data);
    }

    /// <summary>The integration check's test message: same template and page, saying it is a test.</summary>
    public OutgoingNotification ComposeTest(Guid id, string openId, DateTimeOffset now)
    {
        var when = now.ToOffset(notifications.Value.UtcOffset).ToString("yyyy年MM月dd日 HH:mm", CultureInfo.InvariantCulture);
        var data = new Dictionary<string, string>
        {
            [WhatKey] = "集成检查：测试通知",
            [WhenKey] = when,
            [StatusKey] = "测试",
        };
        return new OutgoingNotification(id, openId, miniProgram.Value.Page, data);
    }
}
