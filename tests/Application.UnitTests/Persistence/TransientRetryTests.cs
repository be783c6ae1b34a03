using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.UnitTests.Persistence;

/// <summary>
/// Both engines' contexts retry transient failures through their execution strategy (ADR-26), which therefore refuses a
/// transaction opened outside it: on SQLite here, as on SQL Server. The quote and batch-assignment units of work under
/// an injected failure are Api.IntegrationTests' TransientRetryTests; the inbox batch is here.
/// </summary>
[TestFixture]
public sealed class TransientRetryTests
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
    public void SqlServerContexts_RetryTransientFailures()
    {
        using var db = new SqlServerAppDbContext(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer("Server=unused;Database=unused", DatabaseSetup.SqlServerOptions).Options);

        Assert.That(db.Database.CreateExecutionStrategy(), Is.InstanceOf<SqlServerRetryingExecutionStrategy>()
            .And.Property(nameof(SqlServerRetryingExecutionStrategy.RetriesOnFailure)).True);
    }

    [Test]
    public async Task SqliteContexts_RefuseATransactionOpenedOutsideTheExecutionStrategy()
    {
        await using var db = _database.NewContext();
        Assert.That(db.Database.CreateExecutionStrategy().RetriesOnFailure, Is.True);

        await using var transaction = await db.Database.BeginTransactionAsync();
        var refused = Assert.ThrowsAsync<InvalidOperationException>(() => db.Quotes.CountAsync());

        Assert.That(refused!.Message, Does.Contain("does not support user-initiated transactions"));
    }

    // Commit only: a failure inside an event is that event's (ProcessApprovalCallbacks records it on the message).
    [TestCase(FaultAt.Commit)]
    [TestCase(FaultAt.AfterCommit)]
    public async Task InboxBatch_HitByATransientFailure_IsRunAgain_AndAppliesEachEventOnce(FaultAt at)
    {
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add((await _services.SendAsync(new CreateQuoteCommand($"Q{i}", "ACME", 10m, "CNY"))).Number);
        }

        await using (var db = _database.NewContext())
        {
            var at0 = _services.Clock.GetUtcNow().ToUnixTimeSeconds();
            foreach (var number in numbers)
            {
                var xml = $"<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[open_approval_change]]></Event><CreateTime>{at0}</CreateTime><ApprovalInfo><ThirdNo><![CDATA[{number}]]></ThirdNo><OpenTemplateId><![CDATA[tpl]]></OpenTemplateId><OpenSpStatus>2</OpenSpStatus><ApplyTime>{at0}</ApplyTime></ApprovalInfo></xml>";
                db.Inbox.Add(InboxMessage.Receive($"{number}:2", "event", "open_approval_change", xml, _services.Clock.GetUtcNow().AddMinutes(-1)));
            }

            await db.SaveChangesAsync();
        }

        var fault = new TransientFault();
        fault.Arm("approval_timeline", at);
        _database.Interceptors.Add(fault);

        var claimed = await _services.SendAsync(new ProcessApprovalCallbacksCommand());

        await using var after = _database.NewContext();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fault.Failures, Is.EqualTo(1), "the fault was injected once");
            Assert.That(claimed, Is.EqualTo(3));
            Assert.That(await after.Inbox.Select(m => new { m.Status, m.Outcome }).ToListAsync(),
                Is.All.EqualTo(new { Status = InboxStatus.Processed, Outcome = (string?)"applied" }));
            Assert.That(await after.Quotes.Select(q => q.Status).ToListAsync(), Is.All.EqualTo(QuoteStatus.Approved));
            Assert.That(await after.Timeline.CountAsync(), Is.EqualTo(3), "each event recorded once");
        }
    }
}
