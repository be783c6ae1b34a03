using System.Text.Json.Serialization;

namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>
/// One check, as JSON {name, status, errcode, detail, hint}: <see cref="ErrCode"/> is WeCom's or WeChat's code when the
/// partner answered one (spelled as they spell it); <see cref="Hint"/> says what to fix. Never a secret or an access token.
/// </summary>
public sealed record IntegrationCheckResult(
    string Name, IntegrationCheckStatus Status, [property: JsonPropertyName("errcode")] int? ErrCode, string Detail, string? Hint)
{
    public static IntegrationCheckResult Ok(string name, string detail) => new(name, IntegrationCheckStatus.Ok, null, detail, null);

    public static IntegrationCheckResult Warning(string name, string detail, string hint) => new(name, IntegrationCheckStatus.Warning, null, detail, hint);

    public static IntegrationCheckResult Failed(string name, int? errCode, string detail, string? hint) =>
        new(name, IntegrationCheckStatus.Failed, errCode, detail, hint);

    public static IntegrationCheckResult Skipped(string name, string detail, string hint) => new(name, IntegrationCheckStatus.Skipped, null, detail, hint);
}

/// <summary>Every check in order; <see cref="Status"/> is the worst of them (skipped counts as ok).</summary>
public sealed record IntegrationCheckReport(DateTimeOffset CheckedAt, IntegrationCheckStatus Status, IReadOnlyList<IntegrationCheckResult> Checks);
