using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using CrmIntegration.Api.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary>
/// The JWT bearer options follow configuration reloads: a signing key that appears after start-up (the first
/// <c>dotnet user-jwts create</c> on a fresh machine writes it into user secrets) is taken without a restart.
/// </summary>
[TestFixture]
[NonParallelizable] // the user-secrets test sets APPDATA for the process while its service starts
public sealed class AuthenticationReloadTests
{
    private static readonly string[] Sales = ["sales"];

    [Test]
    public async Task ASigningKeyAddedToConfigurationAfterStartUp_IsAcceptedWithoutARestart()
    {
        var reloadable = new ReloadableSource();
        using var factory = new CrmApiFactory { ConfigureSigningKey = false };
        using var configured = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.Add(reloadable)));
        using var client = configured.CreateClient();
        var token = factory.CreateToken(Sales);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var before = await HttpAssert.ProblemAsync(await client.GetAsync("/api/quotes"), HttpStatusCode.Unauthorized);
        reloadable.Provider.SetAndReload(new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = CrmApiFactory.Issuer,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = factory.SigningKey,
        });
        var after = await client.GetAsync("/api/quotes");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.GetProperty("reason").GetString(), Is.EqualTo("unknown_signing_key"), "precondition: no key yet");
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), await after.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task ASigningKeyRemovedFromConfiguration_IsRefusedWithoutARestart()
    {
        var reloadable = new ReloadableSource();
        reloadable.Provider.SetAndReload(new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = CrmApiFactory.Issuer,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        using var factory = new CrmApiFactory { ConfigureSigningKey = false };
        using var configured = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.Add(reloadable)));
        using var client = configured.CreateClient();
        var retired = reloadable.Provider.Get("Authentication:Schemes:Bearer:SigningKeys:0:Value")!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            factory.CreateToken(new TokenShape { SigningKey = Convert.FromBase64String(retired) }, Sales));
        LogCapture.Instance.RegisterSecret(retired);

        var before = await client.GetAsync("/api/quotes");
        reloadable.Provider.SetAndReload(new Dictionary<string, string?>());
        var after = await HttpAssert.ProblemAsync(await client.GetAsync("/api/quotes"), HttpStatusCode.Unauthorized);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK), "precondition: the key works");
            Assert.That(after.GetProperty("reason").GetString(), Is.EqualTo("unknown_signing_key"), "a rotated-out key stops working at once");
        }
    }

    /// <summary>
    /// Issuers and audiences follow reloads too (<c>dotnet user-jwts create</c> adds a new audience to
    /// appsettings.Development.json when the launch profile's URL changed), not only the keys.
    /// </summary>
    [Test]
    public async Task AnAudienceAddedToConfigurationAfterStartUp_IsAcceptedWithoutARestart()
    {
        var reloadable = new ReloadableSource();
        using var factory = new CrmApiFactory();
        using var configured = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.Add(reloadable)));
        using var client = configured.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            factory.CreateToken(new TokenShape { Audience = "http://localhost:5081" }, Sales));

        var before = await HttpAssert.ProblemAsync(await client.GetAsync("/api/quotes"), HttpStatusCode.Unauthorized);
        reloadable.Provider.SetAndReload(new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:ValidAudiences:1"] = "http://localhost:5081",
        });
        var after = await client.GetAsync("/api/quotes");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.GetProperty("reason").GetString(), Is.EqualTo("invalid_audience"), "precondition");
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), await after.Content.ReadAsStringAsync());
        }
    }

    /// <summary>
    /// README's first token, as on a fresh machine: the service starts in Development before the user-secrets folder
    /// exists, then the README's <c>dotnet user-jwts create --project src/Api --role sales</c> creates the key, and
    /// the token it printed is accepted by the service that is already running.
    /// </summary>
    [Test]
    public async Task Development_TheFirstUserJwtsTokenOnAFreshMachine_IsAcceptedWithoutARestart()
    {
        var appData = Directory.CreateTempSubdirectory("crm-user-secrets-").FullName;
        var previous = Environment.GetEnvironmentVariable("APPDATA");
        try
        {
            // Where user secrets live (APPDATA wins over HOME), for the service and for dotnet user-jwts alike.
            Environment.SetEnvironmentVariable("APPDATA", appData);
            using var factory = new CrmApiFactory { EnvironmentName = "Development", ConfigureSigningKey = false }
                .With("Authentication:Schemes:Bearer:ValidIssuer", "dotnet-user-jwts") // as appsettings.Development.json says
                .With("Authentication:Schemes:Bearer:ValidAudiences:0", "http://localhost:5080");
            using var client = factory.CreateClient();
            Environment.SetEnvironmentVariable("APPDATA", previous);
            Assert.That(Directory.EnumerateFiles(appData, "*", SearchOption.AllDirectories), Is.Empty, "precondition: no user secrets, no key yet");

            var token = await UserJwtsCreateAsync(appData, "--project", "src/Api", "--role", "sales");
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var status = HttpStatusCode.Unauthorized;
            var body = "";
            var deadline = DateTime.UtcNow.AddSeconds(10); // the file watcher reloads within a second
            while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                var response = await client.GetAsync("/api/quotes");
                (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync());
            }

            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"the token printed by dotnet user-jwts, 10 s after: {body}");
        }
        finally
        {
            Environment.SetEnvironmentVariable("APPDATA", previous);
            Directory.Delete(appData, recursive: true);
        }
    }

    /// <summary>Runs README's <c>dotnet user-jwts create …</c> in the repository root and returns the token it prints.</summary>
    private static async Task<string> UserJwtsCreateAsync(string appData, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["user-jwts", "create", .. arguments, "--output", "token"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["APPDATA"] = appData;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var token = (await output).Trim();
        Assert.That(process.ExitCode, Is.Zero, $"dotnet user-jwts create: {await error}");
        LogCapture.Instance.RegisterSecret(token);
        return token;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrmIntegration.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("CrmIntegration.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class ReloadableSource : IConfigurationSource
    {
        public ReloadableProvider Provider { get; } = new();

        public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
    }

    /// <summary>An in-memory provider whose values a test replaces, then signals a reload (as a changed file would).</summary>
    private sealed class ReloadableProvider : ConfigurationProvider
    {
        public string? Get(string key) => Data.TryGetValue(key, out var value) ? value : null;

        public void SetAndReload(IDictionary<string, string?> values)
        {
            Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
            OnReload();
        }
    }
}
