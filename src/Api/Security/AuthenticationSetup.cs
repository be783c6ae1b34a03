using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace CrmIntegration.Api.Security;

internal static class AuthenticationSetup
{
    /// <summary>
    /// JWT bearer from the standard section Authentication:Schemes:Bearer (ValidIssuer, ValidAudiences,
    /// SigningKeys), so dotnet user-jwts works in Development and operators point it at their IdP.
    /// </summary>
    public static IServiceCollection AddCrmAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();

        // After the configuration binding, which replaces TokenValidationParameters wholesale.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.RoleClaimType = "role";
            o.TokenValidationParameters.NameClaimType = "sub";
        });
        services.AddAuthorization(Policies.Add);
        return services;
    }
}
