using System.Data.Common;
using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmIntegration.Application.UnitTests.Approvals;

/// <summary>The inbox's group-commit writer on its own: shutdown drains or fails what is queued, never leaves a caller waiting.</summary>
[TestFixture]
public sealed class InboxWriterTests
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset _now = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private HoldFirstInsert _gate = null!;
    private ServiceProvider _services = null!;
    private InboxWriter _writer = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.CreateFile();
        _gate = new HoldFirstInsert();
        string connectionString;
        using (var db = _database.NewContext())
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        _services = new ServiceCollection()
            .AddScoped<AppDbContext>(_ => new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>()
                .UseSqlite(connectionString, DatabaseSetup.SqliteOptions).AddInterceptors(_gate).Options))
            .BuildServiceProvider();
        _writer = new InboxWriter(_services.GetRequiredService<IServiceScopeFactory>(), InboxBatchWriters.NeutralAsync, new CountingSignal(), new SqliteWriteGate(),
            NullLogger<InboxWriter>.Instance);
    }

    [TearDown]
    public async Task TearDown()
    {
        _gate.Open();
        await _writer.DisposeAsync();
        await _services.DisposeAsync();
        _database.Dispose();
    }

    [Test]
    public async Task Shutdown_WritesWhatIsQueued_ThenRefusesNewCallbacks()
    {
        var held = _writer.StoreAsync(Message("held"), CancellationToken.None);
        await _gate.Reached.Task.WaitAsync(_bound);
        var queued = new[] { _writer.StoreAsync(Message("a"), CancellationToken.None), _writer.StoreAsync(Message("b"), CancellationToken.None) };
        await QueuedAsync(2);

        var stopping = _writer.StopAsync(CancellationToken.None);
        _gate.Open();
        await stopping.WaitAsync(_bound);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Task.WhenAll([held, .. queued]).WaitAsync(_bound), Is.All.EqualTo(CallbackReceipt.Stored));
            Assert.That(await CountAsync(), Is.EqualTo(3));
            Assert.ThrowsAsync<InboxWriteException>(() => _writer.StoreAsync(Message("late"), CancellationToken.None));
        }
    }

    [Test]
    public async Task Shutdown_OutOfTime_FailsWhatIsQueued_InsteadOfHanging()
    {
        var held = _writer.StoreAsync(Message("held"), CancellationToken.None);
        await _gate.Reached.Task.WaitAsync(_bound);
        var queued = new[] { _writer.StoreAsync(Message("a"), CancellationToken.None), _writer.StoreAsync(Message("b"), CancellationToken.None) };
        await QueuedAsync(2);

        using var shutdownTime = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await _writer.StopAsync(shutdownTime.Token).WaitAsync(_bound);

        foreach (var callback in (Task<CallbackReceipt>[])[held, .. queued])
        {
            var e = Assert.ThrowsAsync<InboxWriteException>(() => callback.WaitAsync(_bound));
            Assert.That(e!.Message, Does.Contain("stopped"));
        }

        Assert.That(await CountAsync(), Is.Zero, "nothing half-written");
    }

    [Test]
    public void SqlServerStatement_StaysUnderItsParameterLimit_WithTheProvidersTypes()
    {
        using var db = new SqlServerAppDbContext(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer("Server=127.0.0.1;Database=never-opened;Integrated Security=false", DatabaseSetup.SqlServerOptions).Options);
        var rows = InboxRows.For(db);
        var messages = Enumerable.Range(0, rows.RowsPerStatement).Select(i => Message($"k{i}")).ToList();

        var (text, parameters) = rows.Build(db, messages, 0, messages.Count);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.StartWith("INSERT INTO [wecom_inbox] (").And.Contain("[event_key]").And.Contain("[received_at]"));
            Assert.That(parameters, Has.Length.EqualTo(messages.Count * rows.ColumnCount).And.Length.LessThanOrEqualTo(2100));
            Assert.That(parameters, Is.All.InstanceOf<SqlParameter>());
            Assert.That(parameters.Cast<SqlParameter>().Select(p => p.SqlDbType), Does.Contain(System.Data.SqlDbType.DateTimeOffset));
            Assert.That(text.Split("), (").Length, Is.EqualTo(messages.Count));
        }
    }

    private static InboxMessage Message(string key) => InboxMessage.Receive(key, "event", "sys_approval_change", $"<xml>{key}</xml>", _now);

    private async Task QueuedAsync(int count)
    {
        var deadline = DateTime.UtcNow + _bound;
        while (_writer.Queued < count)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{_writer.Queued} of {count} queued");
            await Task.Delay(10);
        }
    }

    private async Task<int> CountAsync()
    {
        await using var db = _database.NewContext();
        return await db.Inbox.CountAsync();
    }

    /// <summary>Holds the first inbox INSERT until opened (or until the writer's own cancellation).</summary>
    private sealed class HoldFirstInsert : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _seen;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open.TrySetResult();

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("INSERT INTO \"wecom_inbox\"", StringComparison.Ordinal) && Interlocked.Increment(ref _seen) == 1)
            {
                Reached.TrySetResult();
                await _open.Task.WaitAsync(cancellationToken);
            }

            return result;
        }
    }
}
