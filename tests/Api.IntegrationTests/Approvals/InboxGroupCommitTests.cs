using System.Data.Common;
using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

/// <summary>
/// Group commit of acknowledgements (issue 13) with the provider-neutral writer, SQL Server's, here as its SQLite twin
/// (SQLite's own writer: <see cref="SqliteInboxGroupCommitTests"/>): callbacks that wait together are written in one
/// transaction, each answered after that commit. A gate holds one batch's INSERT so that the next callbacks queue up
/// behind it and are written together as the following batch.
/// </summary>
[TestFixture]
public sealed class InboxGroupCommitTests
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(15);

    private CrmApiFactory _factory = null!;
    private WeComCallbackClient _wecom = null!;
    private InboxInsertGate _gate = null!;

    private long Now => _factory.Clock.GetUtcNow().ToUnixTimeSeconds();

    [SetUp]
    public void SetUp()
    {
        _gate = new InboxInsertGate();
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _factory.ConfigureTestServices = s => s.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(_gate))
            .AddSingleton<InboxBatchWriterOpener>(InboxBatchWriters.NeutralAsync);
        _wecom = new WeComCallbackClient(_factory);
    }

    [TearDown]
    public void TearDown()
    {
        _gate.Open();
        _factory.Dispose();
    }

    [Test]
    public async Task IdenticalDeliveriesInOneBatch_OneRowInOneInsert_EveryOneAcknowledged()
    {
        var message = WeComMessages.OpenApprovalChange("CIS-20261122-0901", 1, Now);
        var mark = LogCapture.Instance.Mark();

        var (held, responses) = await BehindAHeldBatchAsync(Enumerable.Repeat(message, 4).ToArray());

        var batch = _gate.InsertsAfterTheHeldOne();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await InboxAnswers.BodiesAsync([held, .. responses]), Is.All.EqualTo("200 success"));
            Assert.That(batch.Select(i => i.Rows), Is.EqualTo(new[] { 1 }), "one INSERT of one row: the twins were not written (no unique violation, no fallback)");
            Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(2), "the held one and one of the four");
            Assert.That(InboxAnswers.StoredBeforeLines(mark), Is.EqualTo(3), "three answered as duplicates");
            Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
        }
    }

    [Test]
    public async Task BatchHoldingAStoredEvent_WritesOnlyTheNewOnes_InOneInsert()
    {
        var stored = WeComMessages.OpenApprovalChange("CIS-20261122-0911", 1, Now);
        Assert.That(await InboxAnswers.BodiesAsync([await _wecom.PostAsync(stored)]), Is.All.EqualTo("200 success"));
        var mark = LogCapture.Instance.Mark();

        var (held, responses) = await BehindAHeldBatchAsync(
            stored, WeComMessages.OpenApprovalChange("CIS-20261122-0912", 1, Now), WeComMessages.OpenApprovalChange("CIS-20261122-0913", 1, Now));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await InboxAnswers.BodiesAsync([held, .. responses]), Is.All.EqualTo("200 success"));
            Assert.That(_gate.InsertsAfterTheHeldOne().Select(i => i.Rows), Is.EqualTo(new[] { 2 }), "the two new events in one INSERT, the stored one left out");
            Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(4));
            Assert.That(InboxAnswers.StoredBeforeLines(mark), Is.EqualTo(1), "the redelivery answered as a duplicate");
            Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
        }
    }

    [Test]
    public async Task UniqueViolationInABatch_FallsBackToRowByRow_TheStoredOneADuplicate()
    {
        var stored = WeComMessages.OpenApprovalChange("CIS-20261122-0921", 1, Now);
        Assert.That(await InboxAnswers.BodiesAsync([await _wecom.PostAsync(stored)]), Is.All.EqualTo("200 success"));
        _gate.BlindTheDuplicateRead(); // as if another instance stored it between the batch's read and its INSERT
        var mark = LogCapture.Instance.Mark();

        var (held, responses) = await BehindAHeldBatchAsync(stored, WeComMessages.OpenApprovalChange("CIS-20261122-0922", 1, Now));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await InboxAnswers.BodiesAsync([held, .. responses]), Is.All.EqualTo("200 success"), "no 500 for a clash");
            Assert.That(_gate.InsertsAfterTheHeldOne().Select(i => i.Rows), Is.EqualTo(new[] { 2, 1, 1 }), "the batch refused, then row by row");
            Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(3), "nothing stored twice, nothing lost");
            Assert.That(InboxAnswers.StoredBeforeLines(mark), Is.EqualTo(1));
            Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
        }
    }

    [Test]
    public async Task WriterFailure_AnswersEveryWaitingRequest500_AndTheNextBatchIsWritten()
    {
        _gate.FailInsertsHolding("FAIL-");
        var mark = LogCapture.Instance.Mark();
        HttpResponseMessage held;
        HttpResponseMessage[] failed;
        using (LogCapture.Instance.ExpectErrors(LogAssert.RequestLogSource, LogAssert.RequestLogTemplate))
        using (LogCapture.Instance.ExpectErrors(LogAssert.ExceptionHandlerSource, LogAssert.ExceptionHandlerTemplate))
        {
            (held, failed) = await BehindAHeldBatchAsync(Enumerable.Range(1, 3)
                .Select(i => WeComMessages.OpenApprovalChange($"FAIL-{i}", 1, Now)).ToArray());
            await InboxAnswers.RequestLinesAsync(mark, 500, failed.Length); // written as the pipeline unwinds, maybe after the answer
        }

        var after = await _wecom.PostAsync(WeComMessages.OpenApprovalChange("CIS-20261122-0931", 1, Now)).WaitAsync(_bound);
        var errors = LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await InboxAnswers.BodiesAsync([held]), Is.All.EqualTo("200 success"));
            Assert.That(failed.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(await InboxAnswers.BodiesAsync([after]), Is.All.EqualTo("200 success"), "the writer goes on after a failed batch");
            Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(2), "the held one and the one after");
            var faults = errors.Where(e => e.SourceContext != LogAssert.RequestLogSource).ToList();
            Assert.That(faults.Select(e => e.SourceContext), Is.EqualTo(Enumerable.Repeat(LogAssert.ExceptionHandlerSource, 3)),
                "each failed request logged at Error once, by the exception handler: " + string.Join("; ", errors));
            Assert.That(faults.Select(e => e.Event.Exception), Is.All.InstanceOf<InboxWriteException>()
                .And.All.Matches<Exception>(e => e.InnerException is SqliteException { SqliteErrorCode: 10 }));
        }
    }

    /// <summary>
    /// Posts a callback whose INSERT the gate holds, then <paramref name="messages"/> concurrently; once all of them
    /// wait in the writer's queue the gate opens: they are the next batch. Every answer is bounded (no hang).
    /// </summary>
    private async Task<(HttpResponseMessage Held, HttpResponseMessage[] Responses)> BehindAHeldBatchAsync(params string[] messages)
    {
        _gate.HoldInsertHolding("HELD-0001");
        var held = _wecom.PostAsync(WeComMessages.OpenApprovalChange("HELD-0001", 1, Now));
        await _gate.Reached.Task.WaitAsync(_bound);
        var writer = _factory.Services.GetRequiredService<InboxWriter>();
        var posts = messages.Select(m => _wecom.PostAsync(m)).ToArray();
        var deadline = DateTime.UtcNow + _bound;
        while (writer.Queued < messages.Length)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"only {writer.Queued} of {messages.Length} callbacks queued");
            await Task.Delay(10);
        }

        _gate.Open();
        return (await held.WaitAsync(_bound), await Task.WhenAll(posts).WaitAsync(_bound));
    }

    /// <summary>Watches the inbox's INSERTs: holds one until opened, fails chosen ones, and can blind the batch's duplicate read.</summary>
    private sealed class InboxInsertGate : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(int Rows, bool Held)> _inserts = [];
        private readonly Lock _lock = new();
        private string? _hold;
        private string? _fail;
        private bool _blind;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void HoldInsertHolding(string marker) => _hold = marker;

        public void FailInsertsHolding(string marker) => _fail = marker;

        public void BlindTheDuplicateRead() => _blind = true;

        public void Open() => _open.TrySetResult();

        /// <summary>The INSERTs that ran after the held one, each with its row count.</summary>
        public List<(int Rows, bool Held)> InsertsAfterTheHeldOne()
        {
            lock (_lock)
            {
                return _inserts.SkipWhile(i => !i.Held).Skip(1).ToList();
            }
        }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await OnInsertAsync(command, cancellationToken);
            return result;
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (_blind && command.CommandText.Contains("FROM \"wecom_inbox\"", StringComparison.Ordinal)
                       && command.CommandText.Contains("\"event_key\" IN", StringComparison.Ordinal))
            {
                command.CommandText = command.CommandText.Replace("WHERE ", "WHERE 0 AND ", StringComparison.Ordinal);
            }

            await OnInsertAsync(command, cancellationToken);
            return result;
        }

        private async Task OnInsertAsync(DbCommand command, CancellationToken ct)
        {
            if (!command.CommandText.Contains("INSERT INTO \"wecom_inbox\"", StringComparison.Ordinal))
            {
                return;
            }

            var values = command.Parameters.Cast<DbParameter>().Select(p => p.Value as string ?? "").ToList();
            var held = _hold is { } hold && values.Any(v => v.Contains(hold, StringComparison.Ordinal));
            lock (_lock)
            {
                _inserts.Add((command.CommandText.Split("), (").Length, held));
            }

            if (held)
            {
                Reached.TrySetResult();
                await _open.Task.WaitAsync(ct);
            }

            if (_fail is { } fail && values.Any(v => v.Contains(fail, StringComparison.Ordinal)))
            {
                throw new SqliteException("disk I/O error (injected)", 10);
            }
        }
    }
}
