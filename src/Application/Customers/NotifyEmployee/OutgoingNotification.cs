namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>
/// One subscription message for one employee. <see cref="Data"/> holds the template's keys (thing1, time2,
/// phrase3) with values already cut to WeChat's per-key limits.
/// </summary>
public sealed record OutgoingNotification(Guid Id, string OpenId, string Page, IReadOnlyDictionary<string, string> Data);
