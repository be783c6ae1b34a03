using CrmIntegration.Api;
using CrmIntegration.Api.Admin;
using CrmIntegration.Api.Approvals;
using CrmIntegration.Api.Configuration;
using CrmIntegration.Api.Customers;
using CrmIntegration.Api.ErrorHandling;
using CrmIntegration.Api.Http;
using CrmIntegration.Api.Telemetry;
using CrmIntegration.Application;
using CrmIntegration.Infrastructure;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSeedEnvironmentAliases();
builder.Configuration.RefuseRenamedKeys(); // the old *Seconds keys would otherwise be ignored
builder.Configuration.WatchUserSecretsFromStartUp(builder.Environment); // the first dotnet user-jwts key counts without a restart
builder.Services.AddCrmLogging(builder.Configuration);
builder.Services.AddCrmTelemetry(builder.Configuration);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddApi(builder.Configuration);

var app = builder.Build();

// Every option (JWT included) is checked before the database is touched; the host would check them only at start.
app.Services.GetRequiredService<IStartupValidator>().Validate();
await app.Services.PrepareDatabaseAsync();
app.Services.GetRequiredService<FeatureReport>().Log();

app.UseCrmRequestLogging(); // outermost: it logs the status actually sent, see RequestLogging
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCrmConsole(); // /console/: static files, no token (ADR-20)
app.UseCrmCors(); // before authentication: a preflight needs no token
app.UseAuthentication();
app.UseRateLimiter(); // after authentication: the caller is the token's sub when it has one
app.UseAuthorization();

var openApiEnabled = app.Services.GetRequiredService<IOptions<OpenApiOptions>>().Value.IsEnabledIn(app.Environment);
if (openApiEnabled)
{
    app.MapOpenApi().AllowAnonymous();
    app.MapScalarApiReference(o => o.AddPreferredSecuritySchemes([OpenApiSetup.BearerScheme])).AllowAnonymous();
}

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
app.MapHealthChecks("/health/status", new HealthCheckOptions { Predicate = c => c.Tags.Contains("status"), ResponseWriter = HealthStatusWriter.WriteAsync })
    .AllowAnonymous();
app.MapCrmMetrics();
app.MapLandingPage(app.Environment, openApiEnabled); // GET /: what this is, links to the console, docs and health
app.MapConsoleConfig(app.Environment);
app.MapQuoteEventEndpoints();
app.MapOverviewEndpoints();
app.MapQuoteEndpoints();
app.MapWeComCallbackEndpoints();
app.MapSimulationEndpoints(app.Environment);
app.MapEmployeeEndpoints();
app.MapCustomerEndpoints();
app.MapNotificationEndpoints();
app.MapIntegrationCheckEndpoints();

await app.RunAsync();

/// <summary>Entry point; public for WebApplicationFactory.</summary>
public partial class Program;
