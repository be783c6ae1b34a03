using System.Net.Http.Headers;
using System.Security.Claims;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>The real service on a temporary SQLite file, a fake clock, and test-signed JWTs.</summary>
public sealed class CrmApiFactory : WebApplicationFactory<Program>
{
    public const string Issuer = "crm-tests";
    public const string Audience = "crm-tests";

    private readonly TempSqliteFile _database;
    private readonly bool _ownsDatabase;
    private readonly byte[] _signingKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, string?> _settings = new();

    /// <summary>A service on its own temporary database, or, given <paramref name="sharedDatabase"/>, one more instance on that one.</summary>
    public CrmApiFactory(TempSqliteFile? sharedDatabase = null)
    {
        _database = sharedDatabase ?? new TempSqliteFile("crm-tests");
        _ownsDatabase = sharedDatabase is null;
    }

    public TempSqliteFile Database => _database;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero));

    /// <summary>The host environment; "Testing" unless a test plays Production.</summary>
    public string EnvironmentName { get; init; } = "Testing";

    /// <summary>False: no Authentication:Schemes:Bearer:SigningKeys (for the start-up checks).</summary>
    public bool ConfigureSigningKey { get; init; } = true;

    /// <summary>The SQLite file the service uses (it exists only once the service has created or migrated it).</summary>
    public string DatabasePath => _database.Path;

    /// <summary>The base64 signing key, to prove it never appears in an answer.</summary>
    public string SigningKey => Convert.ToBase64String(_signingKey);

    /// <summary>Extra service registrations (fault injection), set before the first client is created.</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    /// <summary>Extra configuration, set before the first client is created.</summary>
    public CrmApiFactory With(string key, string? value)
    {
        _settings[key] = value;
        if (key.EndsWith("Secret", StringComparison.Ordinal) || key.EndsWith("Token", StringComparison.Ordinal)
            || key.EndsWith("EncodingAesKey", StringComparison.Ordinal))
        {
            LogCapture.Instance.RegisterSecret(value);
        }

        return this;
    }

    public HttpClient CreateClientAs(params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CreateToken(roles));
        return client;
    }

    public string CreateToken(params string[] roles) => CreateToken(withWeComUserId: true, roles);

    public string CreateToken(bool withWeComUserId, params string[] roles) =>
        CreateToken(withWeComUserId, DateTime.UtcNow.AddHours(1), roles);

    /// <summary>A token that expires (real time: the JWT handler reads the system clock) at <paramref name="expires"/>.</summary>
    public string CreateToken(bool withWeComUserId, DateTime expires, params string[] roles) =>
        CreateToken(new TokenShape { WithWeComUserId = withWeComUserId, Expires = expires }, roles);

    /// <summary>A token as <paramref name="shape"/> says: another subject, issuer, audience or signing key.</summary>
    public string CreateToken(TokenShape shape, params string[] roles)
    {
        var withWeComUserId = shape.WithWeComUserId;
        var expires = shape.Expires ?? DateTime.UtcNow.AddHours(1);
        var key = new SymmetricSecurityKey(shape.SigningKey ?? _signingKey) { KeyId = shape.KeyId };
        var claims = new List<Claim> { new("sub", shape.Subject) };
        if (withWeComUserId)
        {
            claims.Add(new Claim("wecom_userid", "WangXiaoMing"));
        }

        claims.AddRange(roles.Select(r => new Claim("role", r)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = shape.Issuer,
            Audience = shape.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        LogCapture.Instance.RegisterSecret(token);
        return token;
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>
    /// Waits (real time, bounded) until the inbox processor has taken every callback that is due: it fails when 15 s pass
    /// without the backlog shrinking, or after 3 minutes in all. (Acknowledgements share their commits since issue 13,
    /// so a flood is acknowledged faster than it is applied and leaves a backlog that is still being worked off.)
    /// </summary>
    public async Task WaitForInboxAsync()
    {
        var started = DateTime.UtcNow;
        var lastProgress = started;
        var smallest = int.MaxValue;
        while (true)
        {
            var now = Clock.GetUtcNow();
            var due = await WithDbAsync(db => db.Inbox.CountAsync(m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now));
            if (due == 0)
            {
                return;
            }

            if (due < smallest)
            {
                smallest = due;
                lastProgress = DateTime.UtcNow;
            }

            if (DateTime.UtcNow > lastProgress.AddSeconds(15) || DateTime.UtcNow > started.AddMinutes(3))
            {
                Assert.Fail($"{due} callback(s) still unprocessed after {(DateTime.UtcNow - started).TotalSeconds:F0} s "
                            + $"({(DateTime.UtcNow - lastProgress).TotalSeconds:F0} s without progress).");
            }

            await Task.Delay(10);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Crm", $"Data Source={_database.Path}");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Authentication:Schemes:Bearer:ValidIssuer", Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", Audience);
        if (ConfigureSigningKey)
        {
            builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", Issuer);
            builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", Convert.ToBase64String(_signingKey));
        }

        // The suites make many requests with one token; the rate-limit tests set their own low limit.
        builder.UseSetting("RateLimiting:PermitsPerMinute", "100000");
        // Everything from Information up reaches the capture (the secrets check); only warnings reach the console.
        builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
        builder.UseSetting("Logging:Console:MinimumLevel", "Warning");
        LogCapture.Instance.RegisterSecret(Convert.ToBase64String(_signingKey));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.AddSingleton<Serilog.Core.ILogEventSink>(LogCapture.Instance);
            ConfigureTestServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (_ownsDatabase)
        {
            _database.Dispose();
        }
    }
}

/// <summary>What <see cref="CrmApiFactory.CreateToken(TokenShape, string[])"/> signs; the defaults are a valid token.</summary>
public sealed record TokenShape
{
    public string Subject { get; init; } = "tester";

    public bool WithWeComUserId { get; init; } = true;

    public DateTime? Expires { get; init; }

    public string Issuer { get; init; } = CrmApiFactory.Issuer;

    public string Audience { get; init; } = CrmApiFactory.Audience;

    /// <summary>Another key than the service's (with <see cref="KeyId"/>): "signing key unknown".</summary>
    public byte[]? SigningKey { get; init; }

    public string? KeyId { get; init; }
}
