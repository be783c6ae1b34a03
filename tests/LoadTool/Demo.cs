using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrmIntegration.LoadTool;

/// <summary>
/// build/demo.sh's helpers: <c>mint-token</c>, <c>demo-seed</c> (sample data through the API and the simulator) and
/// <c>demo-check</c> (the README's end-to-end demo as assertions). Every wait is bounded; the first failing step
/// throws <see cref="DemoFailure"/> with what was expected and what came back.
/// </summary>
internal sealed class Demo : IDisposable
{
    public const string SalesUserId = "WangXiaoMing";
    public const string SalesOpenId = "o-demo-wangxiaoming";
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(20);
    private readonly HttpClient _api;
    private readonly HttpClient _sim;
    private readonly string _admin;
    private readonly string _manager;
    private readonly string _sales;

    private Demo(Uri api, Uri sim, string key, string issuer, string audience)
    {
        LoadOptions.RequireLoopback(api);
        LoadOptions.RequireLoopback(sim);
        _api = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        _sim = new HttpClient { BaseAddress = sim, Timeout = TimeSpan.FromSeconds(30) };
        _admin = Mint(key, issuer, audience, "demo-admin", ["admin"], []);
        _manager = Mint(key, issuer, audience, "demo-manager", ["manager"], []);
        _sales = Mint(key, issuer, audience, "demo-sales", ["sales"], [new("wecom_userid", SalesUserId)]);
    }

    public void Dispose()
    {
        _api.Dispose();
        _sim.Dispose();
    }

    // ---- mint-token --signing-key K --issuer I --audience A --sub S --role R [--role R] [--claim k=v] [--hours H]
    public static int MintToken(string[] args)
    {
        string? key = null, issuer = "crm-demo", audience = "crm-demo", sub = null;
        var roles = new List<string>();
        var claims = new List<KeyValuePair<string, string>>();
        var hours = 8;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--signing-key": key = value; break;
                case "--issuer": issuer = value; break;
                case "--audience": audience = value; break;
                case "--sub": sub = value; break;
                case "--role": roles.Add(value); break;
                case "--hours": hours = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--claim":
                    var eq = value.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException("--claim takes name=value.");
                    }

                    claims.Add(new(value[..eq], value[(eq + 1)..]));
                    break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }

            i++;
        }

        if (key is null || sub is null || roles.Count == 0)
        {
            throw new ArgumentException("usage: mint-token --signing-key K --issuer I --audience A --sub S --role R [--role R] [--claim k=v] [--hours H]");
        }

        Console.WriteLine(Mint(key, issuer, audience, sub, roles, claims, TimeSpan.FromHours(hours)));
        return 0;
    }

    public static string Mint(string key, string issuer, string audience, string sub, IEnumerable<string> roles,
        IEnumerable<KeyValuePair<string, string>> claims, TimeSpan? lifetime = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(
                new[] { new Claim("sub", sub) }.Concat(roles.Select(r => new Claim("role", r))).Concat(claims.Select(c => new Claim(c.Key, c.Value)))),
            Expires = DateTime.UtcNow.Add(lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key)), SecurityAlgorithms.HmacSha256),
        });

    // ---- demo-seed / demo-check --url U --sim S --signing-key K [--issuer I] [--audience A]
    public static async Task<int> RunAsync(string command, string[] args)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            o[args[i].TrimStart('-')] = args[i + 1];
        }

        string Need(string name) => o.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");
        using var demo = new Demo(new Uri(Need("url")), new Uri(Need("sim")), Need("signing-key"),
            o.GetValueOrDefault("issuer", "crm-demo"), o.GetValueOrDefault("audience", "crm-demo"));
        try
        {
            if (command == "demo-seed")
            {
                await demo.SeedAsync();
            }
            else
            {
                await demo.CheckAsync();
            }

            return 0;
        }
        catch (DemoFailure e)
        {
            Console.Error.WriteLine($"FAILED: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"FAILED: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private async Task SeedAsync()
    {
        var wang = await CreateEmployeeAsync("Wang Xiaoming", SalesUserId, SalesOpenId);
        await CreateEmployeeAsync("Liu Xiaogang", "LiuXiaoGang", "o-demo-liuxiaogang");
        await CreateEmployeeAsync("Zhao Lei", "ZhaoLei", null);
        Console.WriteLine("  employees: WangXiaoMing and LiuXiaoGang (with openids), ZhaoLei (no openid)");

        var owned = await CreateCustomerAsync("Li Na", "Shanghai Pumps Co.", "13800000001", false);
        await CreateCustomerAsync("Chen Jie", "Hangzhou Valves Ltd.", "13800000002", false);
        await CreateCustomerAsync("Sun Yu", "Suzhou Motors", "13800000003", true);
        await CreateCustomerAsync("Zhou Min", "Ningbo Fittings", "13800000004", true);
        await Call(_manager, HttpMethod.Patch, $"/api/customers/{owned}/assign", new { employeeId = wang }, "assign a seed customer");
        Console.WriteLine("  customers: 4 (2 in the public pool); Li Na assigned to WangXiaoMing");

        await CreateQuoteAsync("Water pumps (draft)", 1200.50m);
        var pending = await CreateQuoteAsync("Valve set (pending)", 8800m);
        var spPending = await SubmitAsync(pending, "submit the pending quote");
        var approved = await CreateQuoteAsync("Motor overhaul (approved)", 23000m);
        var spApproved = await SubmitAsync(approved, "submit the approved quote");
        await SimAsync(HttpMethod.Post, $"/_sim/approvals/{spApproved}/approve", "approve in the simulator");
        await WaitStatusAsync(approved, "approved", "seeded quote approved through the callback");
        var rejected = await CreateQuoteAsync("Pipe fittings (rejected)", 560m);
        var spRejected = await SubmitAsync(rejected, "submit the rejected quote");
        await SimAsync(HttpMethod.Post, $"/_sim/approvals/{spRejected}/reject?speech=too%20expensive", "reject in the simulator");
        await WaitStatusAsync(rejected, "rejected", "seeded quote rejected through the callback");
        Console.WriteLine("  quotes: draft, pending_approval, approved, rejected (submitted and decided through the simulator)");
        Console.WriteLine($"PENDING_QUOTE_ID={pending}");
        Console.WriteLine($"PENDING_SPNO={spPending}");
    }

    private async Task CheckAsync()
    {
        await Step("callback URL check (POST /_sim/callbacks/check -> ok)", async () =>
        {
            var check = await SimAsync(HttpMethod.Post, "/_sim/callbacks/check", "callback check");
            Expect(check["ok"]?.GetValue<bool>() == true, $"expected \"ok\": true, got {check.ToJsonString()}");
            return "ok: true";
        });

        Guid quote = default;
        string spNo = "";
        await Step("submit a quote (-> pending_approval)", async () =>
        {
            quote = await CreateQuoteAsync("Demo check: water pumps", 1200.50m);
            var submitted = await Call(_sales, HttpMethod.Post, $"/api/quotes/{quote}/submit-approval", new { }, "submit-approval");
            Expect(Str(submitted, "status") == "pending_approval", $"expected status pending_approval, got {submitted.ToJsonString()}");
            spNo = Str(submitted, "spNo") ?? throw new DemoFailure($"no spNo in {submitted.ToJsonString()}");
            var form = await SimAsync(HttpMethod.Get, $"/_sim/approvals/{spNo}", "the simulator's form");
            return $"{Str(submitted, "quoteNumber")} pending_approval, sp_no {spNo} in the simulator ({Str(form, "spName") ?? "form"})";
        });

        await Step("approve in the simulator (-> approved via the callback)", async () =>
        {
            var answer = await SimAsync(HttpMethod.Post, $"/_sim/approvals/{spNo}/approve", "approve");
            Expect(answer.ToJsonString().Contains("\"success\"", StringComparison.Ordinal), $"the callback was not answered success: {answer.ToJsonString()}");
            await WaitStatusAsync(quote, "approved", "quote approved");
            var timeline = await Call(_admin, HttpMethod.Get, $"/api/quotes/{quote}/timeline", null, "timeline");
            Expect(timeline.ToJsonString().Contains("\"callback\"", StringComparison.Ordinal), $"no callback event in the timeline: {timeline.ToJsonString()}");
            return "approved; timeline shows source callback";
        });

        await Step("live event (GET /api/quotes/events sees a second approval)", async () =>
        {
            var second = await CreateQuoteAsync("Demo check: live status", 4300m);
            var sp = await SubmitAsync(second, "submit the second quote");
            using var cts = new CancellationTokenSource(_wait);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/quotes/events?quoteId={second}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _manager);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var streams = new HttpClient { BaseAddress = _api.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            using var response = await streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            Expect(response.IsSuccessStatusCode, $"GET /api/quotes/events answered {(int)response.StatusCode}");
            await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            var approving = Task.Run(async () =>
            {
                await Task.Delay(300, cts.Token); // the stream is open; a missed event would still be replayed from the outbox
                await SimAsync(HttpMethod.Post, $"/_sim/approvals/{sp}/approve", "approve the second quote");
            }, cts.Token);
            try
            {
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(cts.Token))
                {
                    if (item.EventType == "quote-status" && JsonNode.Parse(item.Data) is JsonObject data && Str(data, "status") == "approved")
                    {
                        await approving;
                        return $"event id {item.EventId}: {Str(data, "number")} approved (source {Str(data, "source")})";
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }

            throw new DemoFailure($"no quote-status 'approved' event for {second} within {_wait.TotalSeconds:F0} s");
        });

        await Step("dropped callback repaired by POST /api/admin/approvals/sync", async () =>
        {
            await SimAsync(HttpMethod.Post, "/_sim/callbacks/drop?count=1", "drop the next callback");
            var third = await CreateQuoteAsync("Demo check: lost callback", 990m);
            var sp = await SubmitAsync(third, "submit the third quote");
            var answer = await SimAsync(HttpMethod.Post, $"/_sim/approvals/{sp}/approve", "approve the third quote");
            Expect(answer.ToJsonString().Contains("\"dropped\"", StringComparison.Ordinal), $"the callback was not dropped: {answer.ToJsonString()}");
            var before = Str(await Call(_admin, HttpMethod.Get, $"/api/quotes/{third}", null, "get quote"), "status");
            Expect(before == "pending_approval", $"before the sync the quote should still be pending_approval, is {before}");
            var report = await Call(_admin, HttpMethod.Post, "/api/admin/approvals/sync", null, "sync");
            await WaitStatusAsync(third, "approved", "quote approved by the sync");
            var timeline = await Call(_admin, HttpMethod.Get, $"/api/quotes/{third}/timeline", null, "timeline");
            Expect(timeline.ToJsonString().Contains("\"sync\"", StringComparison.Ordinal), $"no sync event in the timeline: {timeline.ToJsonString()}");
            return $"pending_approval -> approved by the sync (report {report.ToJsonString(new JsonSerializerOptions { WriteIndented = false })})";
        });

        await Step("assign a customer (-> message in /_sim/messages)", async () =>
        {
            var employees = await Call(_manager, HttpMethod.Get, "/api/employees?pageSize=100", null, "employees");
            var wang = employees["items"]!.AsArray().FirstOrDefault(e => Str(e!, "weComUserId") == SalesUserId)
                       ?? throw new DemoFailure("employee WangXiaoMing not found (was the demo seeded?)");
            var before = (await SimAsync(HttpMethod.Get, $"/_sim/messages?openid={SalesOpenId}", "messages")).AsArray().Count;
            var customer = await CreateCustomerAsync("Demo check customer", "Wuxi Compressors", "13800000009", false);
            await Call(_manager, HttpMethod.Patch, $"/api/customers/{customer}/assign", new { employeeId = Str(wang, "id") }, "assign");
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < _wait)
            {
                var messages = (await SimAsync(HttpMethod.Get, $"/_sim/messages?openid={SalesOpenId}", "messages")).AsArray();
                if (messages.Count > before)
                {
                    return $"subscription message to {SalesOpenId}, msgid {Str(messages[^1]!, "msgId")}";
                }

                await Task.Delay(250);
            }

            throw new DemoFailure($"no new message for {SalesOpenId} in /_sim/messages within {_wait.TotalSeconds:F0} s");
        });

        await Step("integration check (GET /api/admin/integration-check -> ok)", async () =>
        {
            var report = await Call(_admin, HttpMethod.Get, "/api/admin/integration-check", null, "integration check");
            Expect(Str(report, "status") == "ok", $"expected status ok, got {report.ToJsonString()}");
            return string.Join(", ", report["checks"]!.AsArray().Select(c => $"{Str(c!, "name")} {Str(c!, "status")}"));
        });

        Console.WriteLine("demo check passed");
    }

    private static async Task Step(string name, Func<Task<string>> body)
    {
        string detail;
        try
        {
            detail = await body();
        }
        catch (DemoFailure e)
        {
            throw new DemoFailure($"{name}: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new DemoFailure($"{name}: {e.GetType().Name}: {e.Message}");
        }

        Console.WriteLine($"ok   {name}: {detail}");
    }

    private async Task<string> CreateEmployeeAsync(string name, string userId, string? openId) =>
        Str(await Call(_manager, HttpMethod.Post, "/api/employees", new { name, weComUserId = userId, miniProgramOpenId = openId }, "create employee"), "id")!;

    private async Task<Guid> CreateCustomerAsync(string name, string company, string phone, bool pool) =>
        Guid.Parse(Str(await Call(_manager, HttpMethod.Post, "/api/customers", new { name, company, phone, inPublicPool = pool }, "create customer"), "id")!);

    private async Task<Guid> CreateQuoteAsync(string title, decimal amount) =>
        Guid.Parse(Str(await Call(_sales, HttpMethod.Post, "/api/quotes", new { title, customerName = "ACME", amount, currency = "CNY" }, "create quote"), "id")!);

    private async Task<string> SubmitAsync(Guid quote, string what)
    {
        var submitted = await Call(_sales, HttpMethod.Post, $"/api/quotes/{quote}/submit-approval", new { }, what);
        return Str(submitted, "spNo") ?? throw new DemoFailure($"{what}: no spNo in {submitted.ToJsonString()}");
    }

    private async Task WaitStatusAsync(Guid quote, string status, string what)
    {
        var started = Stopwatch.GetTimestamp();
        string? last = null;
        while (Stopwatch.GetElapsedTime(started) < _wait)
        {
            last = Str(await Call(_admin, HttpMethod.Get, $"/api/quotes/{quote}", null, "get quote"), "status");
            if (last == status)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new DemoFailure($"{what}: expected status {status} within {_wait.TotalSeconds:F0} s, still {last}");
    }

    private Task<JsonNode> Call(string token, HttpMethod method, string path, object? body, string what) =>
        SendAsync(_api, token, method, path, body, what);

    private Task<JsonNode> SimAsync(HttpMethod method, string path, string what) => SendAsync(_sim, null, method, path, null, what);

    private static async Task<JsonNode> SendAsync(HttpClient http, string? token, HttpMethod method, string path, object? body, string what)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoFailure($"{what}: {method} {path} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 400)]}");
        }

        return string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static string? Str(JsonNode node, string name) => node[name] is JsonValue v ? v.ToString() : null;

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new DemoFailure(message);
        }
    }
}

internal sealed class DemoFailure(string message) : Exception(message);
