using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrmIntegration.LoadTool;

/// <summary>The quote API, called with a JWT minted from the signing key the service was started with.</summary>
internal sealed class CrmApi : IDisposable
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly HttpClient _streams;
    private readonly HttpClient _admin;

    public CrmApi(LoadOptions options)
    {
        _http = LoadRunner.CreateClient(options.ServiceUrl, options.Concurrency);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MintToken(options));
        _streams = new HttpClient { BaseAddress = options.ServiceUrl, Timeout = Timeout.InfiniteTimeSpan };
        _streams.DefaultRequestHeaders.Authorization = _http.DefaultRequestHeaders.Authorization;
        _admin = LoadRunner.CreateClient(options.ServiceUrl, 1);
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MintToken(options, "admin"));
    }

    public async Task<QuoteRef> CreateQuoteAsync(int index, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("/api/quotes",
            new { title = $"Load quote {index}", customerName = "Load test customer", amount = 1000m, currency = "CNY" }, _json, ct);
        await EnsureAsync(response, "POST /api/quotes", ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_json, ct);
        return new QuoteRef(body.GetProperty("id").GetGuid(), body.GetProperty("number").GetString()!);
    }

    public async Task<string> GetStatusAsync(Guid id, CancellationToken ct)
    {
        using var response = await _http.GetAsync($"/api/quotes/{id}", ct);
        await EnsureAsync(response, "GET /api/quotes/{id}", ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_json, ct);
        return body.GetProperty("status").GetString()!;
    }

    /// <summary>How many quotes have <paramref name="status"/> ("approved", "pending_approval", …).</summary>
    public async Task<int> CountAsync(string status, CancellationToken ct)
    {
        using var response = await _http.GetAsync($"/api/quotes?status={status}&pageSize=1", ct);
        await EnsureAsync(response, "GET /api/quotes", ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_json, ct);
        return body.GetProperty("totalCount").GetInt32();
    }

    /// <summary>Stored callbacks waiting to be processed (GET /api/admin/work-queues, approval_callbacks, due now; admin token).</summary>
    public async Task<int> CallbackBacklogAsync(CancellationToken ct)
    {
        using var response = await _admin.GetAsync("/api/admin/work-queues", ct);
        await EnsureAsync(response, "GET /api/admin/work-queues", ct);
        var queues = await response.Content.ReadFromJsonAsync<JsonElement>(_json, ct);
        return queues.EnumerateArray().Single(q => q.GetProperty("kind").GetString() == "approval_callbacks").GetProperty("dueNow").GetInt32();
    }

    /// <summary>Opens GET /api/quotes/events (bearer) and returns its body once the headers have come.</summary>
    public async Task<Stream> OpenEventStreamAsync(CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/quotes/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await _streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureAsync(response, "GET /api/quotes/events", ct);
        return await response.Content.ReadAsStreamAsync(ct);
    }

    public void Dispose()
    {
        _http.Dispose();
        _streams.Dispose();
        _admin.Dispose();
    }

    private static string MintToken(LoadOptions options, string role = "sales") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = options.Issuer,
        Audience = options.Audience,
        Subject = new ClaimsIdentity([new Claim("sub", "load-tool"), new Claim("wecom_userid", "LoadTool"), new Claim("role", role)]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(
            new SymmetricSecurityKey(Convert.FromBase64String(options.SigningKey!)), SecurityAlgorithms.HmacSha256),
    });

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        }
    }
}
