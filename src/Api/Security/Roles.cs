namespace CrmIntegration.Api.Security;

/// <summary>Values of the token's <c>role</c> claim.</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Sales = "sales";
}
