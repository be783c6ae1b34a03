using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Api.IntegrationTests.Reliability;

/// <summary>The service is killed with SIGKILL mid-burst; after a restart every acknowledged callback is applied.</summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public sealed class CrashTests
{
    private static readonly Dictionary<string, string> _settings = new()
    {
        ["WeCom:CorpId"] = WeComCallbackClient.CorpId,
        ["WeCom:Token"] = WeComCallbackClient.Token,
        ["WeCom:EncodingAesKey"] = WeComCallbackClient.EncodingAesKey,
        // Production refuses to start without a JWT signing key or authority; these tests only post callbacks.
        // (a key is used only for the issuers it names: appsettings.json's ValidIssuer here).
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = "crm-integration",
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    };

    private TempSqliteFile _file = null!;

    private string Database => _file.Path;

    [SetUp]
    public void SetUp() => _file = new TempSqliteFile("crm-crash");

    [TearDown]
    public void TearDown() => _file.Dispose();

    [Test]
    public async Task KillDuringACallbackBurst_EveryAcknowledgedCallbackIsAppliedAfterRestart()
    {
        const int quotes = 300;
        var numbers = Enumerable.Range(1, quotes).Select(i => QuoteNumber.Format("CIS", new DateOnly(2026, 11, 22), i)).ToList();
        await using (var first = await ServiceProcess.StartAsync(Database, _settings))
        {
            await using (var db = ServiceProcess.OpenDatabase(Database))
            {
                db.Quotes.AddRange(numbers.Select(n => Quote.Create(n, "Crash", "ACME", 1m, "CNY", DateTimeOffset.UtcNow)));
                await db.SaveChangesAsync();
            }

            var crypto = new WeComCallbackCrypto(WeComCallbackClient.Token, WeComCallbackClient.EncodingAesKey, WeComCallbackClient.CorpId);
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var messages = new ConcurrentQueue<string>(numbers.SelectMany(n => new[]
            {
                WeComMessages.OpenApprovalChange(n, 1, now - 120), WeComMessages.OpenApprovalChange(n, 2, now - 60),
            }));
            var acknowledged = new ConcurrentBag<string>();
            using var http = new HttpClient { BaseAddress = first.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var senders = Enumerable.Range(0, 16).Select(async _ =>
            {
                while (messages.TryDequeue(out var message))
                {
                    try
                    {
                        var signed = crypto.EncryptAndSign(message, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "7");
                        var response = await http.PostAsync(
                            $"wecom/callback?msg_signature={signed.MsgSignature}&timestamp={signed.Timestamp}&nonce=7",
                            new StringContent(WeComXml.BuildEnvelope(signed.Encrypt, "x", "1"), Encoding.UTF8, "text/xml"));
                        if (await response.Content.ReadAsStringAsync() == "success")
                        {
                            acknowledged.Add(message);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return; // the service is gone
                    }
                }
            }).ToList();

            while (acknowledged.Count < 200)
            {
                await Task.Delay(5);
            }

            first.Kill();
            await Task.WhenAll(senders);
            TestContext.Out.WriteLine($"acknowledged before the kill: {acknowledged.Count} of {quotes * 2}");

            await using var second = await ServiceProcess.StartAsync(Database, _settings);
            await WeComRoundTrip.EventuallyAsync(async () =>
            {
                await using var db = ServiceProcess.OpenDatabase(Database);
                return !await db.Inbox.AnyAsync(m => m.Status == InboxStatus.Received);
            }, "the inbox drained after the restart (a killed claim waits out its 30 s lease)", seconds: 120);

            var keys = acknowledged.Select(m => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(m)))).ToHashSet();
            await using var check = ServiceProcess.OpenDatabase(Database);
            var recorded = (await check.Timeline.Select(t => t.EventKey).ToListAsync()).ToHashSet();
            var failed = await check.Inbox.CountAsync(m => m.Status == InboxStatus.Failed);
            Assert.That(keys.Except(recorded), Is.Empty, "acknowledged but not applied");
            Assert.That(failed, Is.Zero);
        }
    }
}
