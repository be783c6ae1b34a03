using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Data.Common;
using System.Diagnostics;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Application.Common.Persistence;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Approvals.WeCom.Budget;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Tests.Shared;

/// <summary>
/// Several instances draining the three queues of one database at once (ADR-22), through the real
/// <see cref="WorkQueue{T}"/>: every consumer claims small batches with its own context (its own connection), settles
/// each row as the use case would and saves. Nothing may be processed twice (a lost lease would fail the save) and
/// nothing may be left behind. Run on SQLite (Application.UnitTests) and on SQL Server (its Testcontainers twin).
/// </summary>
internal sealed class WorkQueueContention(Func<AppDbContext> newContext, DateTimeOffset now, Func<Exception, bool> transient)
{
    public const int RowsPerQueue = 150;
    public const int Consumers = 4;
    private const int Batch = 7;
    private static readonly TimeSpan _lease = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _clock = new(now);
    private readonly ConcurrentBag<Guid> _inbox = [];
    private readonly ConcurrentBag<Guid> _outbox = [];
    private readonly ConcurrentBag<Guid> _sync = [];
    private int _retried;

    /// <summary>Claims and saves that failed with a transient error (e.g. a SQL Server deadlock victim) and were sent again.</summary>
    public int Retried => _retried;

    public async Task SeedAsync()
    {
        await using var db = newContext();
        var employee = Employee.Create("Alice", "alice-contention", null, now);
        db.Employees.Add(employee);
        for (var i = 0; i < RowsPerQueue; i++)
        {
            db.Inbox.Add(InboxMessage.Receive($"contention-{i}", "event", "sys_approval_change", "<xml/>", now.AddSeconds(-i)));
            db.Notifications.Add(EmployeeNotification.ForSummary(employee.Id, Guid.NewGuid(), AssignmentChannel.Batch, 1, ["C"], now.AddSeconds(-i)));
            var quote = Quote.Create($"CIS-20261130-{i:D4}", "Pumps", "ACME", 1m, "CNY", now);
            var approval = quote.AdoptForm("tpl-1", $"2026113000{i:D4}", now);
            db.Quotes.Add(quote);
            db.ApprovalSync.Add(ApprovalSyncState.For(approval.Id, now.AddSeconds(-i)));
        }

        await db.SaveChangesAsync();
    }

    public async Task DrainAtOnceAsync()
    {
        using var start = new Barrier(Consumers);
        await Task.WhenAll(Enumerable.Range(0, Consumers).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            bool any;
            do
            {
                any = await DrainOnceAsync<InboxMessage>(m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now, m => m.ReceivedAt,
                    m => m.RecordProcessed("applied", now), m => m.Id, _inbox);
                any |= await DrainOnceAsync<EmployeeNotification>(n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now,
                    n => n.NextAttemptAt, n => n.SkipNoOpenid("no openid", now), n => n.Id, _outbox);
                any |= await DrainOnceAsync<ApprovalSyncState>(s => s.NextSyncAt <= now, s => s.NextSyncAt,
                    s => s.RecordRead(now, TimeSpan.FromHours(1)), s => s.Id, _sync);
            }
            while (any);
        })));
    }

    /// <summary>Every row processed exactly once, each in its end state with no lease left.</summary>
    public async Task AssertNothingTwiceNothingLostAsync()
    {
        await using var db = newContext();
        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, taken) in new[] { ("inbox", _inbox), ("outbox", _outbox), ("sync", _sync) })
            {
                Assert.That(taken, Has.Count.EqualTo(RowsPerQueue), $"{name}: rows processed (a row twice or one lost changes the count)");
                Assert.That(taken.Distinct().Count(), Is.EqualTo(RowsPerQueue), $"{name}: distinct rows processed");
            }

            Assert.That(await db.Inbox.CountAsync(m => m.Status == InboxStatus.Processed && EF.Property<string?>(m, "LockOwner") == null),
                Is.EqualTo(RowsPerQueue));
            Assert.That(await db.Notifications.CountAsync(n => n.Status == NotificationStatus.SkippedNoOpenid && n.Attempts == 1
                                                              && EF.Property<string?>(n, "LockOwner") == null), Is.EqualTo(RowsPerQueue));
            Assert.That(await db.ApprovalSync.CountAsync(s => s.LastSyncedAt == now && EF.Property<string?>(s, "LockOwner") == null),
                Is.EqualTo(RowsPerQueue));
        }
    }

    // A transient failure (a deadlock victim) changed nothing: the same save is sent again, still checking the version
    // the claim set, as an execution strategy would. A concurrency conflict is never retried: it fails the test.
    private async Task SaveAsync(AppDbContext db)
    {
        while (true)
        {
            try
            {
                await db.SaveChangesAsync();
                return;
            }
            catch (Exception e) when (e is not DbUpdateConcurrencyException && transient(e))
            {
                Interlocked.Increment(ref _retried);
            }
        }
    }

    private async Task<bool> DrainOnceAsync<T>(
        Expression<Func<T, bool>> ready, Expression<Func<T, DateTimeOffset>> order, Action<T> settle, Func<T, Guid> id, ConcurrentBag<Guid> taken)
        where T : class
    {
        while (true)
        {
            await using var db = newContext();
            var queue = new WorkQueue<T>(db, _clock);
            WorkBatch<T> batch;
            try
            {
                batch = await queue.ClaimAsync(ready, order, Batch, _lease, CancellationToken.None);
            }
            catch (Exception e) when (transient(e))
            {
                Interlocked.Increment(ref _retried);
                continue;
            }

            foreach (var item in batch.Items)
            {
                settle(item);
                queue.Complete(item);
                await SaveAsync(db); // a lease another consumer holds too would fail here (its version changed)
                taken.Add(id(item));
            }

            return !batch.IsEmpty;
        }
    }
}

/// <summary>
/// A flood of callback deliveries with duplicates, stored at once by concurrent writers, each in its own context as the
/// endpoint does: every event stored once, every duplicate recognised as a unique violation by
/// <see cref="DatabaseErrors"/> (the engine's own error code), nothing else failing.
/// </summary>
internal sealed class DuplicateDeliveryFlood(Func<AppDbContext> newContext, DateTimeOffset now)
{
    public const int Events = 200;
    public const int Copies = 3;
    private const int Senders = 8;

    public int Stored { get; private set; }

    public int Duplicates { get; private set; }

    public ConcurrentBag<Exception> Others { get; } = [];

    public async Task RunAsync()
    {
        var errors = new DatabaseErrors();
        var random = new Random(20261130);
        var deliveries = new ConcurrentQueue<string>(Enumerable.Range(0, Events * Copies).Select(i => $"flood-{i % Events}").OrderBy(_ => random.Next()));
        int stored = 0, duplicates = 0;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            while (deliveries.TryDequeue(out var key))
            {
                await using var db = newContext();
                db.Inbox.Add(InboxMessage.Receive(key, "event", "sys_approval_change", $"<xml>{key}</xml>", now));
                try
                {
                    await db.SaveChangesAsync();
                    Interlocked.Increment(ref stored);
                }
                catch (DbUpdateException e) when (errors.IsUniqueViolation(e))
                {
                    Interlocked.Increment(ref duplicates);
                }
                catch (Exception e)
                {
                    Others.Add(e);
                }
            }
        })));
        (Stored, Duplicates) = (stored, duplicates);
    }

    public async Task AssertEachStoredOnceAsync()
    {
        await using var db = newContext();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Others, Is.Empty, "failures other than a unique violation");
            Assert.That(Stored, Is.EqualTo(Events));
            Assert.That(Duplicates, Is.EqualTo(Events * (Copies - 1)));
            Assert.That(await db.Inbox.CountAsync(m => m.EventKey.StartsWith("flood-")), Is.EqualTo(Events));
        }
    }
}

/// <summary>
/// Two units of work at once, each on its own context through <see cref="RetriableTransaction"/> (ADR-26), updating the
/// same two rows in opposite orders, each waiting after its first update until the other has made its own or has
/// begun again. On SQL Server they deadlock and the victim (1205) is run again by the execution strategy; on SQLite the
/// second one waits for the write lock past its busy timeout (SQLITE_BUSY) and is run again. Either way both end
/// committed exactly once, after exactly one retry.
/// </summary>
internal sealed class OppositeOrderWriters(Func<IInterceptor, AppDbContext> newContext, DateTimeOffset now)
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(60);

    private readonly Writer[] _writers = [new(), new()];
    private Guid[] _rows = [];

    /// <summary>Transactions each unit of work began: one, or two for the one that was retried.</summary>
    public IReadOnlyList<int> Begun => [.. _writers.Select(w => w.Begun)];

    public async Task SeedAsync()
    {
        await using var db = newContext(new Writer());
        var rows = new[] { InboxMessage.Receive("row-a", "event", "e", "<xml/>", now), InboxMessage.Receive("row-b", "event", "e", "<xml/>", now) };
        db.Inbox.AddRange(rows);
        await db.SaveChangesAsync();
        _rows = [.. rows.Select(r => r.Id)];
    }

    public Task RunAtOnceAsync() => Task.WhenAll(
        Task.Run(() => WriteAsync(_writers[0], _writers[1], _rows[0], _rows[1])),
        Task.Run(() => WriteAsync(_writers[1], _writers[0], _rows[1], _rows[0])));

    /// <summary>Each row counted once per unit of work (a unit committed twice, or lost, changes the counts).</summary>
    public async Task AssertBothCommittedOnceAfterOneRetryAsync()
    {
        await using var db = newContext(new Writer());
        var counts = await db.Inbox.AsNoTracking().Where(m => _rows.Contains(m.Id)).Select(m => m.Attempts).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts, Is.EqualTo(new[] { 2, 2 }), "each row updated once by each unit of work");
            Assert.That(Begun.Order(), Is.EqualTo(new[] { 1, 2 }), "one unit of work ran once, the other was run again once");
        }
    }

    private async Task WriteAsync(Writer self, Writer other, Guid first, Guid second)
    {
        await using var db = newContext(self);
        try
        {
            await db.InTransactionAsync(async ct =>
            {
                await CountAsync(db, first, ct);
                if (self.Begun == 1)
                {
                    self.FirstWritten = true;
                    var waited = Stopwatch.StartNew();
                    while (!other.FirstWritten && other.Begun < 2 && !other.Ended)
                    {
                        Assert.That(waited.Elapsed, Is.LessThan(_patience), "the other unit of work neither wrote nor began again");
                        await Task.Delay(10, ct);
                    }
                }

                await CountAsync(db, second, ct);
            }, CancellationToken.None);
        }
        finally
        {
            self.Ended = true; // a unit of work that failed for good lets the other go on (and the test fail at once)
        }
    }

    private static Task<int> CountAsync(AppDbContext db, Guid row, CancellationToken ct) =>
        db.Inbox.Where(m => m.Id == row).ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);

    /// <summary>Counts the transactions its context begins (every attempt begins one).</summary>
    private sealed class Writer : DbTransactionInterceptor
    {
        private int _begun;
        private volatile bool _firstWritten;
        private volatile bool _ended;

        public int Begun => Volatile.Read(ref _begun);

        public bool FirstWritten
        {
            get => _firstWritten;
            set => _firstWritten = value;
        }

        public bool Ended
        {
            get => _ended;
            set => _ended = value;
        }

        public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
            CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _begun);
            return ValueTask.FromResult(result);
        }
    }
}

/// <summary>
/// Several instances spending one WeCom call budget at once (ADR-24), each take and each counted submission through the
/// real <see cref="WeComCallCounter"/> on its own context, all starting in a minute that has no row yet (so they race to
/// insert it): the background takes together never pass the background share, every submission is counted, and the
/// minute's row holds exactly what was handed out plus the submissions.
/// </summary>
internal sealed class CallBudgetAcrossInstances(Func<AppDbContext> newContext, DateTimeOffset now)
{
    public const int Instances = 4;
    public const int BackgroundShare = 100;
    private const int TakesPerInstance = 30; // 1-4 calls each: about 300 wanted, three times the share
    private const int SubmissionsPerInstance = 10;

    private readonly FakeTimeProvider _clock = new(now);
    private int _granted;
    private int _submitted;

    public async Task RunAtOnceAsync()
    {
        using var start = new Barrier(Instances);
        await Task.WhenAll(Enumerable.Range(0, Instances).Select(instance => Task.Run(async () =>
        {
            start.SignalAndWait();
            for (var i = 0; i < TakesPerInstance + SubmissionsPerInstance; i++)
            {
                await using var db = newContext();
                var counter = new WeComCallCounter(db, _clock);
                if (i % 4 == 3)
                {
                    await counter.AddAsync(1, CancellationToken.None); // a submission: never refused, only counted
                    Interlocked.Increment(ref _submitted);
                }
                else
                {
                    Interlocked.Add(ref _granted, await counter.TakeAsync(1 + ((instance + i) % 4), BackgroundShare, CancellationToken.None));
                }
            }
        })));
    }

    public async Task AssertNeverPastTheShare_AndEverythingCountedAsync()
    {
        await using var db = newContext();
        var minute = now.ToUnixTimeSeconds() / 60;
        var counted = await db.WeComCallMinutes.AsNoTracking().Where(m => m.UnixMinute == minute).Select(m => m.Calls).SingleAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_submitted, Is.EqualTo(Instances * SubmissionsPerInstance));
            Assert.That(_granted, Is.LessThanOrEqualTo(BackgroundShare).And.GreaterThan(BackgroundShare / 2),
                "background calls handed out by all instances together (about three times the share wanted)");
            Assert.That(counted, Is.EqualTo(_granted + _submitted), "the minute's count is what was handed out plus the submissions");
        }
    }
}
