using System.Collections.Concurrent;
using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Api.IntegrationTests.Reliability;

/// <summary>
/// 10,000 signed callbacks over 1,000 quotes, 30 % duplicates, shuffled, 32 concurrent senders: nothing lost,
/// nothing applied twice, no 5xx, and every quote ends where an oracle computed here says.
/// </summary>
[TestFixture]
[Category("Reliability")]
public sealed class CallbackFloodTests
{
    private const int Quotes = 1_000;
    private const int Deliveries = 10_000;
    private const int Senders = 32;

    [Test]
    public async Task Flood_ShuffledWithDuplicates_EndsInTheOracleStates()
    {
        using var factory = WeComCallbackClient.Configure(new CrmApiFactory());
        factory.With("WeCom:Callback:MaxClockSkew", "00:00:00"); // events carry their own (older) times
        var wecom = new WeComCallbackClient(factory);
        var random = new Random(20261122);
        var numbers = await SeedQuotesAsync(factory);

        // Per quote: pending, then an outcome, sometimes revoked after approval. The newest event decides.
        var events = new List<(string Number, int Status, long Time)>();
        var oracle = new Dictionary<string, QuoteStatus>();
        var t0 = factory.Clock.GetUtcNow().ToUnixTimeSeconds() - 3_600;
        foreach (var number in numbers)
        {
            var outcome = random.Next(3) switch { 0 => 2, 1 => 3, _ => 4 };
            var story = new List<int> { 1, outcome };
            if (outcome == 2 && random.Next(4) == 0)
            {
                story.Add(6);
            }

            events.AddRange(story.Select((status, i) => (number, status, t0 + (i * 60) + random.Next(30))));
            oracle[number] = story[^1] switch { 2 => QuoteStatus.Approved, 3 => QuoteStatus.Rejected, _ => QuoteStatus.Cancelled };
        }

        var distinct = events.Select(e => WeComMessages.OpenApprovalChange(e.Number, e.Status, e.Time)).ToList();
        var deliveries = new List<string>(distinct);
        while (deliveries.Count < Deliveries)
        {
            deliveries.Add(distinct[random.Next(distinct.Count)]);
        }

        var shuffled = deliveries.OrderBy(_ => random.Next()).ToList();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var queue = new ConcurrentQueue<string>(shuffled);
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(async _ =>
        {
            while (queue.TryDequeue(out var message))
            {
                statuses.Add((await wecom.PostAsync(message)).StatusCode);
            }
        }));
        await factory.WaitForInboxAsync();

        var final = await factory.WithDbAsync(db => db.Quotes.AsNoTracking().ToDictionaryAsync(q => q.Number, q => q.Status));
        var inbox = await factory.WithDbAsync(db => db.Inbox.AsNoTracking().GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        var timeline = await factory.WithDbAsync(db => db.Timeline.CountAsync());
        var wrong = oracle.Where(o => final[o.Key] != o.Value).Select(o => $"{o.Key}: {final[o.Key]} != {o.Value}").Take(5).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deliveries.Count - distinct.Count, Is.GreaterThanOrEqualTo(Deliveries * 3 / 10 - Quotes), "duplicates sent");
            Assert.That(statuses, Has.Count.EqualTo(Deliveries).And.All.EqualTo(HttpStatusCode.OK));
            Assert.That(inbox.Single().Key, Is.EqualTo(InboxStatus.Processed), "every stored callback processed");
            Assert.That(inbox.Single().Count, Is.EqualTo(distinct.Count), "each distinct event stored once");
            Assert.That(timeline, Is.EqualTo(distinct.Count), "each distinct event recorded once in the timeline");
            Assert.That(wrong, Is.Empty);
        }
    }

    private static async Task<List<string>> SeedQuotesAsync(CrmApiFactory factory)
    {
        var now = factory.Clock.GetUtcNow();
        var numbers = Enumerable.Range(1, Quotes).Select(i => QuoteNumber.Format("CIS", new DateOnly(2026, 11, 22), i)).ToList();
        await factory.WithDbAsync(async db =>
        {
            db.Quotes.AddRange(numbers.Select(n => Quote.Create(n, "Flood", "ACME", 10m, "CNY", now)));
            return await db.SaveChangesAsync();
        });
        return numbers;
    }
}
