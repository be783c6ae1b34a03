using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Application.UnitTests.Persistence;

/// <summary>
/// The live feed is woken once a quote's status change is committed, not before: a save inside a caller's transaction
/// (the inbox batch) wakes it when that transaction commits, and never if it rolls back.
/// </summary>
[TestFixture]
public sealed class QuoteStatusEventsInterceptorTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private QuoteStatusEventsInterceptor _interceptor = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.CreateFile();
        _interceptor = new QuoteStatusEventsInterceptor();
        _database.Interceptors.Add(_interceptor);
    }

    [TearDown]
    public void TearDown() => _database.Dispose();

    [Test]
    public async Task ASaveOnItsOwn_WakesTheFeedOnceSaved()
    {
        var id = await CreateQuoteAsync();
        await using var db = _database.NewContext();

        await StartApprovalAsync(db, id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await db.QuoteStatusEvents.CountAsync(), Is.EqualTo(1), "the change is recorded with the save");
            Assert.That(await WokenAsync(), Is.True);
        }
    }

    [Test]
    public async Task ASaveInATransaction_WakesTheFeedAtTheCommit()
    {
        var ids = new[] { await CreateQuoteAsync(), await CreateQuoteAsync() };
        await using var db = _database.NewContext();
        // Under the execution strategy, as every transaction of the service is (ADR-26).
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var id in ids)
            {
                await StartApprovalAsync(db, id);
            }

            Assert.That(await WokenAsync(), Is.False, "not committed: the feed would read nothing new");
            await transaction.CommitAsync();
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await WokenAsync(), Is.True);
            Assert.That(await WokenAsync(), Is.False, "once for the transaction");
        }
    }

    [Test]
    public async Task ASaveInATransactionRolledBack_NeverWakesTheFeed()
    {
        var id = await CreateQuoteAsync();
        await using (var db = _database.NewContext())
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await StartApprovalAsync(db, id);
                await transaction.RollbackAsync();
            });
        }

        await using var other = _database.NewContext();
        await other.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var next = await other.Database.BeginTransactionAsync();
            await next.CommitAsync(); // a later commit with nothing recorded
        });

        Assert.That(await WokenAsync(), Is.False);
    }

    private async Task<Guid> CreateQuoteAsync()
    {
        await using var db = _database.NewContext();
        var quote = Quote.Create($"Q-{Guid.NewGuid():N}"[..20], "Quote", "ACME", 10m, "CNY", _now);
        db.Quotes.Add(quote);
        await db.SaveChangesAsync();
        await WokenAsync(); // creating a quote records no status change; read the signal empty anyway
        return quote.Id;
    }

    private static async Task StartApprovalAsync(SqliteAppDbContext db, Guid id)
    {
        var quote = await db.Quotes.Include(q => q.Approvals).SingleAsync(q => q.Id == id);
        quote.StartApproval(ApprovalKind.Open, "tpl", _now);
        await db.SaveChangesAsync();
    }

    /// <summary>Whether the feed was woken since last asked (the signal is taken).</summary>
    private async Task<bool> WokenAsync()
    {
        using var stop = new CancellationTokenSource();
        var wait = _interceptor.Signal.WaitAsync(TimeSpan.FromHours(1), new FakeTimeProvider(_now), stop.Token);
        var woken = wait.IsCompletedSuccessfully; // a pending wake-up is taken at once
        await stop.CancelAsync();
        if (woken)
        {
            await wait;
        }
        else
        {
            Assert.That(async () => await wait, Throws.InstanceOf<OperationCanceledException>());
        }

        return woken;
    }
}
