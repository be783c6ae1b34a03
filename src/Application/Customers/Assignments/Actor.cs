namespace CrmIntegration.Application.Customers.Assignments;

/// <summary>
/// Who asks: <see cref="Id"/> is the token's <c>sub</c> (recorded in the history); a sales caller is
/// matched to its employee by the <c>wecom_userid</c> claim (<see cref="WeComUserId"/>).
/// </summary>
public sealed record Actor(string Id, bool IsManager, string? WeComUserId);
