using System.Data.Common;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Application.UnitTests.Persistence;

/// <summary>
/// ADR-29: a claim reads the due rows, then leases those whose version is still the one it read. Another instance
/// claiming the same rows in between must win them alone, and the slower claim goes on to the next due rows.
/// </summary>
[TestFixture]
public sealed class WorkQueueClaimRaceTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task AnotherInstanceClaimingBetweenTheReadAndTheUpdate_KeepsItsRows_AndTheSlowerClaimTakesTheNext()
    {
        using var database = TestDatabase.CreateFile();
        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;"); // as the service runs: a reader does not hold up a writer
            db.Inbox.AddRange(Enumerable.Range(0, 30).Select(i =>
                InboxMessage.Receive($"key-{i:D2}", "event", null, "<xml/>", _now.AddMinutes(-10).AddSeconds(i))));
            await db.SaveChangesAsync();
        }

        var clock = new FakeTimeProvider(_now);
        await using var otherDb = database.NewContext(); // made before the interceptor: the other instance's statements are not intercepted
        var other = new WorkQueue<InboxMessage>(otherDb, clock);
        WorkBatch? otherBatch = null;
        var race = new ClaimInBetween(async () => otherBatch = new WorkBatch(await ClaimAsync(other, 20)));
        database.Interceptors.Add(race);
        await using var slowDb = database.NewContext();
        var slow = await ClaimAsync(new WorkQueue<InboxMessage>(slowDb, clock), 20);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(otherBatch?.Keys, Is.EqualTo(Enumerable.Range(0, 20).Select(i => $"key-{i:D2}")), "the other instance won the 20 oldest");
            Assert.That(slow.Select(m => m.EventKey), Is.EqualTo(Enumerable.Range(20, 10).Select(i => $"key-{i:D2}")),
                "the slower claim took none of them, and went on to the 10 left");
            Assert.That(race.Reads, Is.EqualTo(2), "it read the due rows twice: the first read was all taken");
        }

        await using var check = database.NewContext();
        var owners = await check.Inbox.AsNoTracking().Select(m => EF.Property<string?>(m, "LockOwner")).Distinct().CountAsync();
        Assert.That(owners, Is.EqualTo(2), "every row leased by exactly one of the two claims");
    }

    private static async Task<IReadOnlyList<InboxMessage>> ClaimAsync(WorkQueue<InboxMessage> queue, int max) =>
        (await queue.ClaimAsync(m => m.Status == InboxStatus.Received && m.NextAttemptAt <= _now, m => m.ReceivedAt, max,
            TimeSpan.FromSeconds(30), CancellationToken.None)).Items;

    private sealed record WorkBatch(IReadOnlyList<InboxMessage> Items)
    {
        public IEnumerable<string> Keys => Items.Select(m => m.EventKey);
    }

    /// <summary>After the claim's first read of due rows has run, another instance claims (once).</summary>
    private sealed class ClaimInBetween(Func<Task> claim) : DbCommandInterceptor
    {
        private int _reads;

        public int Reads => _reads;

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("AS \"Version\"", StringComparison.Ordinal) && Interlocked.Increment(ref _reads) == 1)
            {
                await claim();
            }

            return result;
        }
    }
}
