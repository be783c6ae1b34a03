using Microsoft.AspNetCore.Authorization;

namespace CrmIntegration.Api.Security;

internal static class Policies
{
    /// <summary>Any of our roles: reads.</summary>
    public const string Staff = nameof(Staff);

    /// <summary>Create and submit quotes.</summary>
    public const string Sales = nameof(Sales);

    /// <summary>Assign customers, manage employees.</summary>
    public const string Managers = nameof(Managers);

    public const string Admin = nameof(Admin);

    public static void Add(AuthorizationOptions options)
    {
        // Anything not marked otherwise needs a signed-in user; health and the WeCom callback opt out.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(Staff, p => p.RequireRole(Roles.Admin, Roles.Manager, Roles.Sales));
        options.AddPolicy(Sales, p => p.RequireRole(Roles.Admin, Roles.Manager, Roles.Sales));
        options.AddPolicy(Managers, p => p.RequireRole(Roles.Admin, Roles.Manager));
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
    }
}
