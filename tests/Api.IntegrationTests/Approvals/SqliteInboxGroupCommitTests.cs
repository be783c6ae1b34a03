using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

/// <summary>
/// Group commit with SQLite's own inbox writer (ADR-30), as the service runs it: callbacks that wait together share
/// one transaction, twins and redeliveries are answered Duplicate without a second row, and a batch the database
/// refuses is answered 500 to each of its requests (nothing acknowledged) while the next batch is written. The
/// database itself holds and refuses here: another connection's write lock, and a trigger.
/// </summary>
[TestFixture]
public sealed class SqliteInboxGroupCommitTests
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(15);

    private CrmApiFactory _factory = null!;
    private WeComCallbackClient _wecom = null!;

    private long Now => _factory.Clock.GetUtcNow().ToUnixTimeSeconds();

    [SetUp]
    public void SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _wecom = new WeComCallbackClient(_factory);
    }

    [TearDown]
    public void TearDown() => _factory.Dispose();

    [Test]
    public async Task TheServiceWritesTheInboxWithSqlitesOwnWriter()
    {
        var open = _factory.Services.GetRequiredService<InboxBatchWriterOpener>();
        await using var writer = await open(_factory.Services.GetRequiredService<IServiceScopeFactory>(), CancellationToken.None);
        Assert.That(writer, Is.InstanceOf<SqliteInboxBatchWriter>());
    }

    [Test]
    public async Task IdenticalDeliveriesWaitingTogether_OneRow_EveryOneAcknowledged_TheTwinsAsDuplicates()
    {
        var message = WeComMessages.OpenApprovalChange("CIS-20261130-0901", 1, Now);
        var mark = LogCapture.Instance.Mark();

        var responses = await WhileTheDatabaseIsLockedAsync(4, () => Enumerable.Repeat(message, 4).Select(m => _wecom.PostAsync(m)).ToArray());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await InboxAnswers.BodiesAsync(responses), Is.All.EqualTo("200 success"));
            Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(1));
            Assert.That(InboxAnswers.StoredBeforeLines(mark), Is.EqualTo(3), "three answered as duplicates");
            Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
        }
    }

    [Test]
    public async Task ABatchHoldingAStoredEvent_StoresTheNewOnes_AndAnswersTheRedeliveryAsADuplicate()
    {
        var stored = WeComMessages.OpenApprovalChange("CIS-20261130-0911", 1, Now);
        Assert.That(await InboxAnswers.BodiesAsync([await _wecom.PostAsync(stored)]), Is.All.EqualTo("200 success"));
        var mark = LogCapture.Instance.Mark();

        var responses = await WhileTheDatabaseIsLockedAsync(3, () => new[]
        {
            stored, WeComMessages.OpenApprovalChange("CIS-20261130-0912", 1, Now), WeComMessages.OpenApprovalChange("CIS-20261130-0913", 1, Now),
        }.Select(m => _wecom.PostAsync(m)).ToArray());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await InboxAnswers.BodiesAsync(responses), Is.All.EqualTo("200 success"));
            Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(3));
            Assert.That(InboxAnswers.StoredBeforeLines(mark), Is.EqualTo(1), "the redelivery answered as a duplicate");
            Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
        }
    }

    [Test]
    public async Task ABatchTheDatabaseRefuses_Is500ForEachOfItsRequests_LoggedOnceEach_AndTheNextIsStored()
    {
        await _factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse_marked BEFORE INSERT ON wecom_inbox WHEN NEW.payload LIKE '%REFUSE-%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"));
        var mark = LogCapture.Instance.Mark();
        HttpResponseMessage[] refused;
        using (LogCapture.Instance.ExpectErrors(LogAssert.RequestLogSource, LogAssert.RequestLogTemplate))
        using (LogCapture.Instance.ExpectErrors(LogAssert.ExceptionHandlerSource, LogAssert.ExceptionHandlerTemplate))
        {
            refused = await WhileTheDatabaseIsLockedAsync(3, () => Enumerable.Range(1, 3)
                .Select(i => _wecom.PostAsync(WeComMessages.OpenApprovalChange($"REFUSE-{i}", 1, Now))).ToArray());
            await InboxAnswers.RequestLinesAsync(mark, 500, refused.Length); // written as the pipeline unwinds, maybe after the answer
        }

        var after = await _wecom.PostAsync(WeComMessages.OpenApprovalChange("CIS-20261130-0931", 1, Now)).WaitAsync(_bound);
        var faults = LogCapture.Instance.EventsSince(mark).Where(e => e.IsError && e.SourceContext != LogAssert.RequestLogSource).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(await InboxAnswers.BodiesAsync([after]), Is.All.EqualTo("200 success"), "the writer goes on after a refused batch");
            Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(1), "only the one after");
            Assert.That(faults.Select(e => e.SourceContext), Is.EqualTo(Enumerable.Repeat(LogAssert.ExceptionHandlerSource, 3)),
                "each refused request logged at Error once, by the exception handler");
            Assert.That(faults.Select(e => e.Event.Exception), Is.All.InstanceOf<InboxWriteException>()
                .And.All.Matches<Exception>(e => e.InnerException is SqliteException { SqliteErrorCode: 19 }));
        }
    }

    /// <summary>
    /// Takes the database's write lock on another connection, starts the posts, and releases it once
    /// <paramref name="waiting"/> of them wait for the writer (queued, or in the batch it is trying to begin): they
    /// are written together, as few batches as the writer took them in. Every answer is bounded (no hang).
    /// </summary>
    private async Task<HttpResponseMessage[]> WhileTheDatabaseIsLockedAsync(int waiting, Func<Task<HttpResponseMessage>[]> post)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync();
        Task<HttpResponseMessage>[] posts;
        await using (var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: false)) // BEGIN IMMEDIATE
        {
            posts = post();
            var writer = _factory.Services.GetRequiredService<InboxWriter>();
            var deadline = DateTime.UtcNow + _bound;
            while (writer.Waiting < waiting)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"only {writer.Waiting} of {waiting} callbacks wait for the writer");
                Assert.That(posts.Where(p => p.IsCompleted), Is.Empty, "answered while the database was locked");
                await Task.Delay(10);
            }

            await transaction.RollbackAsync();
        }

        return await Task.WhenAll(posts).WaitAsync(_bound);
    }
}
