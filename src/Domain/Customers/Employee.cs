namespace CrmIntegration.Domain.Customers;

/// <summary>A member of staff who can own customers; told about assignments through the mini-program.</summary>
public sealed class Employee
{
    public const int NameMaxLength = 100;
    public const int WeComUserIdMaxLength = 64;
    public const int OpenIdMaxLength = 64;

    private Employee()
    {
    } // EF

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The WeCom userid; a sales token's <c>wecom_userid</c> claim names its employee by it.</summary>
    public string WeComUserId { get; private set; } = "";

    /// <summary>The employee's openid for our mini-program; without it no notification can be sent.</summary>
    public string? MiniProgramOpenId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Employee Create(string name, string weComUserId, string? miniProgramOpenId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name.Trim(),
        WeComUserId = weComUserId.Trim(),
        MiniProgramOpenId = Normalize(miniProgramOpenId),
        CreatedAt = now,
    };

    /// <summary>Sets (or with null or blank, clears) the openid.</summary>
    public void SetMiniProgramOpenId(string? openId) => MiniProgramOpenId = Normalize(openId);

    private static string? Normalize(string? openId) => string.IsNullOrWhiteSpace(openId) ? null : openId.Trim();
}
