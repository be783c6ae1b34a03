using System.Data.Common;
using CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;
using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

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

    /// <summary>Commits: transactions committed, and statements run outside any transaction (each its own commit).</summary>
    private sealed class CommitCounter : DbTransactionInterceptor, IDbCommandInterceptor
    {
        private int _transactions;
        private int _autocommits;

        public int Count => _transactions + _autocommits;

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
