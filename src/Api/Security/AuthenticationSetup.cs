using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Api.Security;

internal static class AuthenticationSetup
{
    /// <summary>How long after <c>exp</c> (and before <c>nbf</c>) a token is still taken; the framework's default is 5 minutes.</summary>
    public const string ClockSkewKey = "Authentication:Schemes:Bearer:ClockSkewSeconds";

    public const int DefaultClockSkewSeconds = 30;

    private const string SchemeSection = "Authentication:Schemes:Bearer";

    /// <summary>
    /// JWT bearer from the standard section Authentication:Schemes:Bearer (ValidIssuer, ValidAudiences,
    /// SigningKeys), so dotnet user-jwts works in Development and operators point it at their IdP.
    /// </summary>
    public static IServiceCollection AddCrmAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var clockSkew = ClockSkew(configuration); // read now: a bad value stops start-up, naming the key
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();

        // After the configuration binding, which replaces TokenValidationParameters wholesale.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.RoleClaimType = "role";
            o.TokenValidationParameters.NameClaimType = "sub";
            o.TokenValidationParameters.ClockSkew = clockSkew;
            o.Events ??= new JwtBearerEvents();
            o.Events.OnChallenge = AuthProblems.OnChallenge;
        });
        // Rebuilt when the configuration reloads (a key, issuer or audience added to user secrets, appsettings or the
        // IdP settings after start-up counts at once): the framework binds the section but never watches it. Options the
        // handler already holds are dropped; ClockSkewSeconds keeps its start-up value (checked above).
        services.AddSingleton<IOptionsChangeTokenSource<JwtBearerOptions>>(
            new ConfigurationChangeTokenSource<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, configuration.GetSection(SchemeSection)));
        // Checked with the other options, before the database is migrated (Program.cs).
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtBearerOptions>, ProductionJwtValidator>();
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthProblems.ResultHandler>();
        return services;
    }

    private static TimeSpan ClockSkew(IConfiguration configuration)
    {
        var text = configuration[ClockSkewKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromSeconds(DefaultClockSkewSeconds);
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
               && seconds <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"{ClockSkewKey} must be a whole number of seconds from 0 to 3600, not '{text}'.");
    }
}
