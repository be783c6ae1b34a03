using System.Data.Common;
using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Application.UnitTests.Approvals;

/// <summary>The inbox drained in batches: every stored event applied once, at one commit per claimed batch (ADR-22).</summary>
[TestFixture]
public sealed class ProcessApprovalCallbacksTests
{
    private TestDatabase _database = null!;
    private TestServices _services = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.CreateFile();
        _services = new TestServices(_database);
    }

    [TearDown]
    public void TearDown()
    {
        _services.Dispose();
        _database.Dispose();
    }

    [Test]
    public async Task FortyStoredEvents_AreEachAppliedOnce_InTwoBatchCommitsAndTheClaims()
    {
        var numbers = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            numbers.Add((await _services.SendAsync(new CreateQuoteCommand($"Q{i}", "ACME", 10m, "CNY"))).Number);
        }

        var at = _services.Clock.GetUtcNow().ToUnixTimeSeconds();
        await using (var db = _database.NewContext())
        {
            var received = _services.Clock.GetUtcNow().AddMinutes(-1);
            foreach (var (number, status) in numbers.Select(n => (n, 1)).Concat(numbers.Select(n => (n, 2))))
            {
                var xml = $"""
                    <xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{at + status}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[open_approval_change]]></Event><AgentID>1</AgentID><ApprovalInfo><ThirdNo><![CDATA[{number}]]></ThirdNo><OpenSpName><![CDATA[报价审批]]></OpenSpName><OpenTemplateId><![CDATA[tpl]]></OpenTemplateId><OpenSpStatus>{status}</OpenSpStatus><ApplyTime>{at}</ApplyTime><ApplyUserName><![CDATA[张三]]></ApplyUserName><ApplyUserId><![CDATA[zhangsan]]></ApplyUserId><ApprovalNodes></ApprovalNodes><NotifyNodes></NotifyNodes><approverstep>0</approverstep></ApprovalInfo></xml>
                    """;
                db.Inbox.Add(InboxMessage.Receive($"{number}:{status}", "event", "open_approval_change", xml, received = received.AddMilliseconds(1)));
            }

            await db.SaveChangesAsync();
        }

        var commits = new CommitCounter();
        _database.Interceptors.Add(commits);
        var taken = new List<int>();
        int claimed;
        do
        {
            taken.Add(claimed = await _services.SendAsync(new ProcessApprovalCallbacksCommand()));
        }
        while (claimed > 0);

        await using var after = _database.NewContext();
        var statuses = await after.Inbox.AsNoTracking().Select(m => new { m.Status, m.Outcome }).ToListAsync();
        var quotes = await after.Quotes.AsNoTracking().Select(q => q.Status).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(taken, Is.EqualTo(new[] { 20, 20, 0 }));
            Assert.That(statuses.Select(s => (s.Status, s.Outcome)), Is.All.EqualTo((InboxStatus.Processed, "applied")));
            Assert.That(quotes, Is.All.EqualTo(QuoteStatus.Approved));
            Assert.That(await after.Timeline.CountAsync(), Is.EqualTo(40), "each event recorded once");

            // Three claims (the last finds nothing) and one commit per batch, not two or three per event as before.
            Assert.That(commits.Count, Is.LessThanOrEqualTo(5), commits.ToString());
        }
    }

    [Test]
    public async Task ABatch_ReadsWhatItsEventsNeedInAFewQueries_NotAFewPerEvent()
    {
        var numbers = await CreateQuotesAsync(20);
        await StoreAsync(numbers.Select(n => Open(n, 1)));

        var queries = new QueryCounter();
        _database.Interceptors.Add(queries);
        var claimed = await _services.SendAsync(new ProcessApprovalCallbacksCommand());
        _database.Interceptors.Remove(queries);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claimed, Is.EqualTo(20));
            Assert.That(await AppliedAsync(), Is.EqualTo(20));

            // The claim's two reads (the due rows in order, then the rows it leased), the messages again in the
            // transaction, the recorded keys, the approvals, the quotes: the same six for 1 event or 20 (before: four or
            // five per event).
            Assert.That(queries.Count, Is.LessThanOrEqualTo(6), queries.ToString());
        }
    }

    [Test]
    public async Task AnAcknowledgementWaitingForTheWriter_GetsItAfterTheEventInHand_AndTheBatchGoesOnInANextTransaction()
    {
        var numbers = await CreateQuotesAsync(20);
        await StoreAsync(numbers.Select(n => Open(n, 1)));
        var gate = await _services.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<IDatabaseWriteGate>()));
        var acknowledgement = new AcknowledgementDuringTheBatch(gate, _database);
        var commits = new CommitCounter();
        _database.Interceptors.Add(acknowledgement);
        _database.Interceptors.Add(commits);

        var claimed = await _services.SendAsync(new ProcessApprovalCallbacksCommand());
        var appliedWhenAcknowledged = await acknowledgement.Written;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claimed, Is.EqualTo(20));
            Assert.That(await AppliedAsync(), Is.EqualTo(20), "every event of the batch applied once");
            Assert.That(appliedWhenAcknowledged, Is.EqualTo(1), "the waiting acknowledgement wrote after the event in hand, not after the batch");
            Assert.That(commits.Transactions, Is.EqualTo(2), "the event in hand, then the other 19 in one more transaction");
        }
    }

    [Test]
    public async Task OneBatch_OfEveryKindOfMessage_EndsEachAsOnItsOwn()
    {
        var numbers = await CreateQuotesAsync(2);
        var recordedBefore = Open(numbers[1], 1);
        await _services.SendAsync(new HandleApprovalCallbackCommand(WeComXml.ParseMessage(recordedBefore).Approval!, TimelineSource.Callback));
        var text = $"<xml><ToUserName>corp</ToUserName><FromUserName>u</FromUserName><CreateTime>{At}</CreateTime><MsgType>text</MsgType><Content>hi</Content></xml>";
        var ids = await StoreAsync(
        [
            Open(numbers[0], 1), // applied
            recordedBefore, // already in the timeline: duplicate
            Open("Q-NOT-OURS", 1), // unmatched
            text, // not an approval event: ignored
            "<xml><broken", // unreadable: refused
            Open(new string('9', 200), 1), // values no quote of ours can carry: ignored
            Open(numbers[0], 2), // the same quote again, later in the same batch: applied after the first
        ]);

        Assert.That(await _services.SendAsync(new ProcessApprovalCallbacksCommand()), Is.EqualTo(7));

        await using var after = _database.NewContext();
        var messages = await after.Inbox.AsNoTracking().ToDictionaryAsync(m => m.Id);
        var ended = ids.Select(id => (messages[id].Status, messages[id].Outcome)).ToList();
        var quote = await after.Quotes.AsNoTracking().SingleAsync(q => q.Number == numbers[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ended, Is.EqualTo(new (InboxStatus, string?)[]
            {
                (InboxStatus.Processed, "applied"), (InboxStatus.Processed, "duplicate"), (InboxStatus.Processed, "unmatched"),
                (InboxStatus.Ignored, "ignored"), (InboxStatus.Failed, null), (InboxStatus.Ignored, "ignored"), (InboxStatus.Processed, "applied"),
            }));
            Assert.That(messages[ids[4]].LastError, Does.StartWith("WeComCryptoException"));
            Assert.That(messages[ids[5]].LastError, Does.StartWith("ValidationException"));
            Assert.That(quote.Status, Is.EqualTo(QuoteStatus.Approved));
            Assert.That(await after.Timeline.CountAsync(), Is.EqualTo(4), "recorded before, two applied, one unmatched");
            Assert.That(messages.Values.Select(m => m.Attempts), Is.All.EqualTo(1));
        }
    }

    [Test]
    public async Task AFaultInOneEvent_RollsBackThatEventAlone_AndTheRestOfTheBatchIsApplied()
    {
        var numbers = await CreateQuotesAsync(3);
        var ids = await StoreAsync([Open(numbers[0], 1), Open(numbers[1], 1), Open(numbers[2], 1), Open(numbers[0], 2), Open(numbers[1], 2)]);
        _database.Interceptors.Add(new OnTimelineInsert(command => // the second quote's events fail in the middle of their save
        {
            if (command.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, numbers[1])))
            {
                throw new InvalidOperationException("The timeline insert was refused (test).");
            }
        }));

        Assert.That(await _services.SendAsync(new ProcessApprovalCallbacksCommand()), Is.EqualTo(5));

        await using var after = _database.NewContext();
        var messages = await after.Inbox.AsNoTracking().ToDictionaryAsync(m => m.Id);
        var statuses = await after.Quotes.AsNoTracking().ToDictionaryAsync(q => q.Number, q => q.Status);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ids.Select(id => messages[id].Status), Is.EqualTo(new[]
            {
                InboxStatus.Processed, InboxStatus.Received, InboxStatus.Processed, InboxStatus.Processed, InboxStatus.Received,
            }));
            Assert.That(messages[ids[1]].LastError, Does.StartWith("DbUpdateException"));
            Assert.That(messages[ids[1]].Attempts, Is.EqualTo(1));
            Assert.That(statuses[numbers[0]], Is.EqualTo(QuoteStatus.Approved));
            Assert.That(statuses[numbers[1]], Is.EqualTo(QuoteStatus.Draft), "its approval, status change and timeline row rolled back with it");
            Assert.That(statuses[numbers[2]], Is.EqualTo(QuoteStatus.PendingApproval));
            Assert.That(await after.ApprovalInstances.CountAsync(), Is.EqualTo(2));
            Assert.That(await after.Timeline.Select(t => t.ThirdNo).ToListAsync(), Has.None.EqualTo(numbers[1]));
        }
    }

    [Test]
    public async Task AShutdownDuringABatch_StopsItBetweenTwoEvents_AndCommitsWhatWasApplied()
    {
        var numbers = await CreateQuotesAsync(3);
        var ids = await StoreAsync(numbers.Select(n => Open(n, 1)));
        using var stopping = new CancellationTokenSource();
        _database.Interceptors.Add(new OnTimelineInsert(_ => stopping.Cancel())); // the host stops while the first event saves

        var claimed = await _services.InScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(new ProcessApprovalCallbacksCommand(), stopping.Token));

        await using var after = _database.NewContext();
        var messages = await after.Inbox.AsNoTracking().ToDictionaryAsync(m => m.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(claimed, Is.EqualTo(3));
            Assert.That(ids.Select(id => (messages[id].Status, messages[id].Attempts)), Is.EqualTo(new[]
            {
                (InboxStatus.Processed, 1), (InboxStatus.Received, 0), (InboxStatus.Received, 0), // the rest: taken again when the lease ends
            }));
            Assert.That(await after.Timeline.CountAsync(), Is.EqualTo(1));
        }
    }

    private static long At => new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static string Open(string number, int status) => $"""
        <xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{At + status}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[open_approval_change]]></Event><AgentID>1</AgentID><ApprovalInfo><ThirdNo><![CDATA[{number}]]></ThirdNo><OpenSpName><![CDATA[报价审批]]></OpenSpName><OpenTemplateId><![CDATA[tpl]]></OpenTemplateId><OpenSpStatus>{status}</OpenSpStatus><ApplyTime>{At}</ApplyTime><ApplyUserName><![CDATA[张三]]></ApplyUserName><ApplyUserId><![CDATA[zhangsan]]></ApplyUserId><ApprovalNodes></ApprovalNodes><NotifyNodes></NotifyNodes><approverstep>0</approverstep></ApprovalInfo></xml>
        """;

    private async Task<List<string>> CreateQuotesAsync(int count)
    {
        var numbers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            numbers.Add((await _services.SendAsync(new CreateQuoteCommand($"Q{i}", "ACME", 10m, "CNY"))).Number);
        }

        return numbers;
    }

    /// <summary>Stores the messages as the inbox writer does, received in this order; returns their ids in it.</summary>
    private async Task<List<Guid>> StoreAsync(IEnumerable<string> payloads)
    {
        await using var db = _database.NewContext();
        var received = _services.Clock.GetUtcNow().AddMinutes(-1);
        var messages = payloads.Select((xml, i) => InboxMessage.Receive($"key-{i}-{Guid.NewGuid():N}", "event", null, xml, received.AddMilliseconds(i))).ToList();
        db.Inbox.AddRange(messages);
        await db.SaveChangesAsync();
        return [.. messages.Select(m => m.Id)];
    }

    private async Task<int> AppliedAsync()
    {
        await using var db = _database.NewContext();
        return await db.Inbox.CountAsync(m => m.Status == InboxStatus.Processed && m.Outcome == "applied");
    }

    /// <summary>Queries: statements that read (a SELECT), not the writes of a save.</summary>
    private sealed class QueryCounter : DbCommandInterceptor
    {
        private readonly List<string> _queries = [];

        public int Count => _queries.Count;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                lock (_queries)
                {
                    _queries.Add(command.CommandText);
                }
            }

            return ValueTask.FromResult(result);
        }

        public override string ToString() => $"{Count} queries:\n" + string.Join("\n", _queries.Select(q => q.ReplaceLineEndings(" ")[..Math.Min(q.Length, 120)]));
    }

    /// <summary>Runs an action as a timeline row is about to be written: a fault in that save, or the host stopping then.</summary>
    private sealed class OnTimelineInsert(Action<DbCommand> action) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Run(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Run(command);
            return ValueTask.FromResult(result);
        }

        private void Run(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"approval_timeline\"", StringComparison.Ordinal))
            {
                action(command);
            }
        }
    }

    /// <summary>Commits: transactions committed, and statements run outside any transaction (each its own commit).</summary>
    /// <summary>
    /// Once the processor's transaction runs its first statement, an acknowledgement starts waiting for the writer (as
    /// the inbox writer does); when it gets its turn it counts the events applied so far, as its write would see them.
    /// </summary>
    private sealed class AcknowledgementDuringTheBatch(IDatabaseWriteGate gate, TestDatabase database) : DbCommandInterceptor
    {
        private readonly TaskCompletionSource<int> _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public Task<int> Written => _written.Task;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.Transaction is not null && Interlocked.Exchange(ref _started, 1) == 0)
            {
                var turn = gate.EnterToAcknowledgeAsync(CancellationToken.None).AsTask(); // marks the acknowledgement waiting at once
                _ = turn.ContinueWith(t =>
                {
                    try
                    {
                        using var entered = t.Result;
                        using var db = database.NewContext();
                        _written.SetResult(db.Inbox.Count(m => m.Status == InboxStatus.Processed));
                    }
                    catch (Exception e)
                    {
                        _written.SetException(e); // the test's await fails with it
                    }
                }, TaskScheduler.Default);
            }

            return ValueTask.FromResult(result);
        }
    }

    private sealed class CommitCounter : DbTransactionInterceptor, IDbCommandInterceptor
    {
        private int _transactions;
        private int _autocommits;

        public int Count => _transactions + _autocommits;

        public int Transactions => _transactions;

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _transactions);
            return Task.CompletedTask;
        }

        public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (command.Transaction is null && !command.CommandText.TrimStart().StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _autocommits);
            }

            return ValueTask.FromResult(result);
        }

        public override string ToString() => $"{_transactions} transaction(s) committed, {_autocommits} statement(s) on their own";
    }
}
