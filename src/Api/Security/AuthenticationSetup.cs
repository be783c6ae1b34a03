using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Api.Security;

internal static class AuthenticationSetup
{
    /// <summary>
    /// JWT bearer from the standard section Authentication:Schemes:Bearer (ValidIssuer, ValidAudiences,
    /// SigningKeys), so dotnet user-jwts works in Development and operators point it at their IdP.
    /// </summary>
    public static IServiceCollection AddCrmAuthentication(this IServiceCollection services)
    {
        services.AddOptions<BearerTokenOptions>().BindConfiguration(BearerTokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();

        // After the configuration binding, which replaces TokenValidationParameters wholesale.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure<IOptions<BearerTokenOptions>>((o, bearer) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.RoleClaimType = "role";
            o.TokenValidationParameters.NameClaimType = "sub";
            o.TokenValidationParameters.ClockSkew = bearer.Value.ClockSkew;
            o.Events ??= new JwtBearerEvents();
            o.Events.OnChallenge = AuthProblems.OnChallenge;
        });
        // Rebuilt when the configuration reloads (a key, issuer or audience added to user secrets, appsettings or the
        // IdP settings after start-up counts at once): the framework binds the section but never watches it. Options the
        // handler already holds are dropped; ClockSkew keeps its start-up value (BearerTokenOptions).
        services.AddSingleton<IOptionsChangeTokenSource<JwtBearerOptions>>(sp => new ConfigurationChangeTokenSource<JwtBearerOptions>(
            JwtBearerDefaults.AuthenticationScheme, sp.GetRequiredService<IConfiguration>().GetSection(BearerTokenOptions.Section)));
        // Checked with the other options, before the database is migrated (Program.cs).
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtBearerOptions>, ProductionJwtValidator>();
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthProblems.ResultHandler>();
        return services;
    }
}
