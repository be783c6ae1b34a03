using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrmIntegration.Api.IntegrationTests.Reliability;

/// <summary>
/// The service is killed with SIGKILL while batch assignments run; after a restart every acknowledged batch is
/// whole, no batch is half-applied, and every notification is delivered once (twice only when the kill cut its send
/// off: WeChat has no idempotency key), or is visible as dead.
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public sealed class BatchCrashTests
{
    private const int Batches = 40;
    private const int BatchSize = 250;

    private TempSqliteFile _file = null!;

    private string Database => _file.Path;

    [SetUp]
    public void SetUp() => _file = new TempSqliteFile("crm-batch-crash");

    [TearDown]
    public void TearDown() => _file.Dispose();

    [Test]
    public async Task KillDuringBatchAssignments_NothingHalfDone_EveryNotificationDeliveredOnce()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorSettings());
        var key = RandomNumberGenerator.GetBytes(32);
        var settings = new Dictionary<string, string>
        {
            ["MiniProgram:AppId"] = simulator.Settings.MiniProgram.AppId,
            ["MiniProgram:AppSecret"] = simulator.Settings.MiniProgram.AppSecret,
            ["MiniProgram:CloudEnv"] = "prod-1a2b3c",
            ["MiniProgram:TemplateId"] = "TPL-ASSIGNED",
            ["MiniProgram:ApiBaseUrl"] = simulator.BaseAddress.ToString(),
            ["Authentication:Schemes:Bearer:ValidIssuer"] = "crash-tests",
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = "crash-tests",
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = "crash-tests",
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(key),
        };
        var batches = new List<(Guid Employee, List<Guid> Customers)>();
        var acknowledged = new ConcurrentBag<int>();

        await using (var first = await ServiceProcess.StartAsync(Database, settings))
        {
            await using (var db = ServiceProcess.OpenDatabase(Database))
            {
                var now = DateTimeOffset.UtcNow;
                var employees = Enumerable.Range(0, 4).Select(i => Employee.Create($"员工{i}", $"user{i}", $"oCrash{i:D22}", now)).ToList();
                db.Employees.AddRange(employees);
                for (var b = 0; b < Batches; b++)
                {
                    var customers = Enumerable.Range(0, BatchSize).Select(i => Customer.Create($"客户{b}-{i}", "某某公司", "13800000000", false, now)).ToList();
                    db.Customers.AddRange(customers);
                    batches.Add((employees[b % employees.Count].Id, customers.Select(c => c.Id).ToList()));
                }

                await db.SaveChangesAsync();
            }

            using var http = new HttpClient { BaseAddress = first.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(key));
            var next = -1;
            var senders = Enumerable.Range(0, 4).Select(async _ =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < Batches)
                {
                    try
                    {
                        var response = await http.PostJsonAsync("api/customers/batch-assign", new { customerIds = batches[b].Customers, employeeId = batches[b].Employee });
                        if (response.IsSuccessStatusCode)
                        {
                            acknowledged.Add(b);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return; // the service is gone
                    }
                }
            }).ToList();

            while (acknowledged.Count < 8)
            {
                await Task.Delay(5);
            }

            first.Kill();
            await Task.WhenAll(senders);
        }

        TestContext.Out.WriteLine($"batches acknowledged before the kill: {acknowledged.Count} of {Batches}");
        await using var second = await ServiceProcess.StartAsync(Database, settings);
        await WeComRoundTrip.EventuallyAsync(async () =>
        {
            await using var db = ServiceProcess.OpenDatabase(Database);
            return !await db.Notifications.AnyAsync(n => n.Status == NotificationStatus.Pending);
        }, "every notification settled after the restart (a killed claim waits out its lease)", seconds: 150);

        await using var check = ServiceProcess.OpenDatabase(Database);
        var owners = await check.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.OwnerEmployeeId);
        var notifications = await check.Notifications.AsNoTracking().ToListAsync();
        var applied = batches.Select((batch, i) => (i, count: batch.Customers.Count(c => owners[c] == batch.Employee))).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied.Where(a => acknowledged.Contains(a.i)).Select(a => a.count), Is.All.EqualTo(BatchSize), "acknowledged batches are whole");
            Assert.That(applied.Select(a => a.count), Is.All.EqualTo(0).Or.EqualTo(BatchSize), "no batch half-applied");
            Assert.That(notifications, Has.Count.EqualTo(applied.Count(a => a.count == BatchSize)), "one summary per applied batch");
            Assert.That(notifications.Select(n => n.Status), Is.All.EqualTo(NotificationStatus.Sent).Or.EqualTo(NotificationStatus.Dead));
            // WeChat has no idempotency key: a send cut off by the kill may have arrived and is sent again. Such
            // sends are the only duplicates, and each shows as a second attempt.
            var sent = notifications.Count(n => n.Status == NotificationStatus.Sent);
            var interrupted = notifications.Count(n => n.Status == NotificationStatus.Sent && n.Attempts > 1);
            Assert.That(simulator.State.DeliveredMessages, Has.Count.InRange(sent, sent + interrupted),
                $"each sent notification delivered once, or twice when its send was cut off ({interrupted} were)");
        }
    }

    private static string Token(byte[] key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "crash-tests",
        Audience = "crash-tests",
        Subject = new ClaimsIdentity([new Claim("sub", "crash"), new Claim("role", "manager")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });
}
