using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace CrmIntegration.Api.Http;

/// <summary>
/// The OpenAPI document as clients meet the API: the bearer scheme, required on every operation that is not
/// anonymous; string query parameters that take an enum's API words listed as that enum.
/// </summary>
internal static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddCrmOpenApi(this IServiceCollection services) =>
        services.AddOptions<OpenApiOptions>().BindConfiguration(OpenApiOptions.Section).Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.AddComponent<IOpenApiSecurityScheme>(BearerScheme, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A JWT from the configured issuer; roles in its `role` claim (admin, manager, sales).",
                });
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var bearerOrTicket = metadata.OfType<BearerOrTicket>().Any();
                if (!metadata.OfType<IAllowAnonymous>().Any() || bearerOrTicket)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                    if (bearerOrTicket)
                    {
                        operation.Security.Add(new OpenApiSecurityRequirement()); // or none: a ?ticket= opens it
                    }
                }

                foreach (var query in metadata.OfType<EnumQueryParameter>())
                {
                    if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == query.Name) is { } parameter)
                    {
                        parameter.Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Enum = [.. Enum.GetNames(query.EnumType).Select(n => (JsonNode)JsonValue.Create(JsonNamingPolicy.SnakeCaseLower.ConvertName(n)))],
                        };
                    }
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>The string query parameter <paramref name="name"/> takes the API words of <typeparamref name="TEnum"/> ("pending_approval").</summary>
    public static RouteHandlerBuilder WithEnumQuery<TEnum>(this RouteHandlerBuilder builder, string name)
        where TEnum : struct, Enum =>
        builder.WithMetadata(new EnumQueryParameter(name, typeof(TEnum)));

    internal sealed record EnumQueryParameter(string Name, Type EnumType);
}

/// <summary>Endpoint metadata: anonymous at the gate, but takes a bearer token or a stream ticket (the quote event stream).</summary>
internal sealed class BearerOrTicket;
