using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Api.Security;

/// <summary>In Production a token must be checkable: signing keys or an OpenID Connect authority are required.</summary>
internal sealed class ProductionJwtValidator(IHostEnvironment environment) : IValidateOptions<JwtBearerOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme || !environment.IsProduction())
        {
            return ValidateOptionsResult.Skip;
        }

        var parameters = options.TokenValidationParameters;
        var hasKeys = parameters.IssuerSigningKey is not null || parameters.IssuerSigningKeys?.Any() == true
                      || parameters.IssuerSigningKeyResolver is not null || options.Configuration is not null;
        var hasAuthority = !string.IsNullOrWhiteSpace(options.Authority) || !string.IsNullOrWhiteSpace(options.MetadataAddress);
        return hasKeys || hasAuthority
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("In Production set Authentication:Schemes:Bearer:SigningKeys (the JWT signing keys) or "
                                         + "Authentication:Schemes:Bearer:Authority (an OpenID Connect provider): without either no token can be checked. "
                                         + "A signing key counts only when its Issuer is the ValidIssuer or one of the ValidIssuers.");
    }
}
