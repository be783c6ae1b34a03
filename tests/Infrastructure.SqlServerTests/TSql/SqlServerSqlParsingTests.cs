using CrmIntegration.Application.Approvals.ScanApprovalLists;
using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using CrmIntegration.Application;
using CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;
using CrmIntegration.Application.Approvals.QuoteEvents;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Application.Customers.AssignFromPublicPool;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Application.Customers.BatchAssignCustomers;
using CrmIntegration.Application.Customers.DeliverEmployeeNotification;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Infrastructure.SqlServerTests.TSql;

/// <summary>
/// Runs where no SQL Server does (no Docker needed): the service is wired as production wires it for SQL Server, with
/// <see cref="OfflineSqlServer"/> in place of the server, and every statement the real code paths send is parsed as
/// T-SQL by ScriptDom, so a syntax error in the SQL Server SQL (the migration script, a claim, an ExecuteUpdate or
/// ExecuteDelete, raw SQL) fails here and names the statement.
/// </summary>
[TestFixture]
public sealed partial class SqlServerSqlParsingTests
{
    private const int ChunkSize = 500; // BulkAssignment.ChunkSize (internal to Application)

    private static readonly DateTimeOffset _now = new(2026, 11, 30, 3, 30, 0, TimeSpan.Zero);

    private OfflineSqlServer _sql = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public void SetUp()
    {
        _sql = new OfflineSqlServer();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Crm"] = "Server=offline.invalid;Database=Crm;User Id=crm;Password=never-used;TrustServerCertificate=True",
            ["WeCom:CorpId"] = "ww-offline",
            ["WeCom:Secret"] = "offline-secret", // turns the sync on; no template, so no reconciliation call
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(_now))
            .AddApplication()
            .AddInfrastructure(configuration);
        // Not the retrying strategy (ADR-26): it buffers every result and the offline answers carry no columns. The SQL
        // sent is the same with either.
        services.ConfigureDbContext<SqlServerAppDbContext>(
            o => o.AddInterceptors(_sql).UseSqlServer(s => s.ExecutionStrategy(d => new NonRetryingExecutionStrategy(d))), ServiceLifetime.Scoped);
        _services = services.BuildServiceProvider();
    }

    [TearDown]
    public void TearDown() => _services.Dispose();

    [Test]
    public void IdempotentMigrationScript_ParsesAsTSql()
    {
        using var db = new SqlServerAppDbContext(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer("Server=offline.invalid;Database=Crm;Trusted_Connection=True", DatabaseSetup.SqlServerOptions).Options);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.That(script, Does.Contain("IF NOT EXISTS").And.Contain("__ef_migrations_history"));
        Assert.That(db.Database.GetMigrations(), Is.Not.Empty);
        foreach (var migration in db.Database.GetMigrations())
        {
            Assert.That(script, Does.Contain(migration), "every migration is in the script");
        }

        TSqlCheck.AssertParses([script]);
    }

    [Test]
    public async Task InboxDrain_ClaimSql_ParsesAsTSql()
    {
        _sql.Rows = ClaimCandidate;
        await SendAsync(new ProcessApprovalCallbacksCommand());

        Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => IsUpdateOf(c, "wecom_inbox")), "the claim");
        TSqlCheck.AssertParses(_sql.Sent.Select(c => c.Text));
    }

    [Test]
    public async Task OutboxDrain_ClaimSql_ParsesAsTSql()
    {
        _sql.Rows = ClaimCandidate;
        await SendAsync(new DeliverEmployeeNotificationCommand());

        Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => IsUpdateOf(c, "notification_outbox")), "the claim");
        TSqlCheck.AssertParses(_sql.Sent.Select(c => c.Text));
    }

    [Test]
    public async Task SyncRun_ScheduleRefreshAndClaimSql_ParsesAsTSql()
    {
        _sql.Rows = ListScanScheduled;
        await SendAsync(new SyncPendingApprovalsCommand());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => c.Text.Contains("DELETE") && c.Text.Contains("[approval_sync_schedule]")),
                "the schedule refresh's ExecuteDelete");
            Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => IsUpdateOf(c, "approval_sync_schedule")), "the claim");
        }

        TSqlCheck.AssertParses(_sql.Sent.Select(c => c.Text));
    }

    [Test]
    public async Task ListScan_ClaimAndScheduleUpdatesOver2100Approvals_ParseAsTSql_AndStayUnderTheParameterLimit()
    {
        var ids = Enumerable.Range(0, TSqlCheck.MaxParameters + 1).Select(_ => Guid.NewGuid()).ToList();
        _sql.Rows = ListScanScheduled;

        await SendAsync(new ScanApprovalListsCommand());
        await using (var scope = _services.CreateAsyncScope())
        {
            var schedule = scope.ServiceProvider.GetRequiredService<ApprovalSyncSchedule>();
            await schedule.ConfirmPendingAsync(ids, _now, CancellationToken.None);
            await schedule.MakeDueAsync(ids, _now, CancellationToken.None);
        }

        var scheduleUpdates = _sql.Sent.Where(c => IsUpdateOf(c, "approval_sync_schedule")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => IsUpdateOf(c, "approval_list_scan")), "the scan's claim");
            Assert.That(scheduleUpdates, Has.Count.GreaterThanOrEqualTo(2 * 5), "confirmed and made due, in chunks");
            Assert.That(_sql.Sent.Max(c => c.ParameterCount), Is.LessThanOrEqualTo(TSqlCheck.MaxParameters));
        }

        TSqlCheck.AssertParses(_sql.Sent.Select(c => c.Text));
    }

    [Test]
    public async Task WorkQueue_ReleaseAndCompletionSql_ParsesAsTSql_ForEveryQueue()
    {
        await ReleaseAndCompleteAsync(InboxMessage.Receive("key-1", "event", "sys_approval_change", "<xml/>", _now),
            m => m.RecordProcessed("applied", _now));
        await ReleaseAndCompleteAsync(EmployeeNotification.ForSummary(Guid.NewGuid(), Guid.NewGuid(), AssignmentChannel.Batch, 2, ["A", "B"], _now),
            n => n.SkipNoOpenid("no openid", _now));
        await ReleaseAndCompleteAsync(ApprovalSyncState.For(Guid.NewGuid(), _now), s => s.RecordRead(_now, TimeSpan.FromMinutes(1)));

        var updates = _sql.Sent.Where(c => c.Text.Contains("UPDATE")).ToList();
        using (Assert.EnterMultipleScope())
        {
            foreach (var table in new[] { "wecom_inbox", "notification_outbox", "approval_sync_schedule" })
            {
                Assert.That(updates.Count(c => c.Text.Contains($"[{table}]")), Is.GreaterThanOrEqualTo(2), $"{table}: release and completion");
            }
        }

        TSqlCheck.AssertParses(_sql.Sent.Select(c => c.Text));
    }

    [TestCase(AssignmentChannel.Batch)]
    [TestCase(AssignmentChannel.PublicPool)]
    public async Task BatchAssignment_Over2100Ids_SqlParsesAsTSql_AndNoStatementPassesSqlServersParameterLimit(AssignmentChannel channel)
    {
        var inPool = channel == AssignmentChannel.PublicPool;
        const int count = TSqlCheck.MaxParameters + 1;
        var version = Guid.NewGuid();
        var customers = Enumerable.Range(0, count).Select(i => Guid.NewGuid()).ToList();
        var known = customers.ToHashSet();
        _sql.Rows = command => command.CommandText switch
        {
            var t when t.Contains("FROM [employees]") => Table([typeof(bool)], new object[] { true }),
            var t when t.StartsWith("SELECT", StringComparison.Ordinal) && t.Contains("FROM [customers]") =>
                Table([typeof(Guid), typeof(string), typeof(Guid), typeof(bool), typeof(Guid)],
                    [.. customers.Select(id => new object[] { id, $"Customer {id:N}", DBNull.Value, inPool, version })]),
            _ => null,
        };
        _sql.Affected = command => command.CommandText.Contains("UPDATE") && command.CommandText.Contains("[customers]")
            ? command.Parameters.Cast<DbParameter>().Select(p => p.Value).OfType<Guid>().Where(known.Contains).Distinct().Count()
            : 0;

        try
        {
            var manager = new Actor("manager-1", true, null);
            IRequest<AssignmentResultDto> request = inPool
                ? new AssignFromPublicPoolCommand(customers, Guid.NewGuid(), manager)
                : new BatchAssignCustomersCommand(customers, Guid.NewGuid(), manager);
            await SendAsync(request);
        }
        catch (DbUpdateException)
        {
            // The history and notification inserts are answered with no rows: their save fails here, after the updates.
        }

        var updates = _sql.Sent.Where(c => IsUpdateOf(c, "customers")).ToList();
        var tooMany = _sql.Sent.Where(c => c.ParameterCount > TSqlCheck.MaxParameters).Select(c => $"{c.ParameterCount} parameters: {c.Text[..Math.Min(200, c.Text.Length)]}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(updates, Has.Count.EqualTo((count + ChunkSize - 1) / ChunkSize), "one ExecuteUpdate per chunk");
            Assert.That(tooMany, Is.Empty, $"statements over SQL Server's {TSqlCheck.MaxParameters} parameters (error 8003)");
        }

        TSqlCheck.AssertParses(_sql.Sent.Select(c => c.Text));
    }

    [Test]
    public async Task StreamTicketIssue_ExpiredTicketCleanupSql_ParsesAsTSql()
    {
        _sql.Affected = _ => 1;
        await using (var scope = _services.CreateAsyncScope())
        {
            try
            {
                await scope.ServiceProvider.GetRequiredService<IStreamTickets>().IssueAsync("user-1", CancellationToken.None);
            }
            catch (DbUpdateException)
            {
                // The ticket's insert is answered with no rows; the ExecuteDelete before it is what this test is about.
            }
        }

        Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => c.Text.Contains("DELETE") && c.Text.Contains("[stream_tickets]")));
        TSqlCheck.AssertParses(_sql.Sent.Select(c => c.Text));
    }

    [Test]
    public async Task CallBudget_TakeAndCountSql_ParsesAsTSql()
    {
        // No row for the minute yet: the conditional update changes nothing, the minute's row is inserted, old ones deleted.
        _sql.Affected = command => command.CommandText.StartsWith("INSERT", StringComparison.Ordinal) ? 1 : 0;
        await using (var scope = _services.CreateAsyncScope())
        {
            var counter = scope.ServiceProvider.GetRequiredService<Application.Approvals.WeComApi.IWeComCallCounter>();
            await counter.TakeAsync(10, 100, CancellationToken.None);
            await counter.AddAsync(1, CancellationToken.None);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => c.Text.Contains("UPDATE") && c.Text.Contains("[wecom_call_budget]")));
            Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => c.Text.Contains("INSERT INTO wecom_call_budget")));
            Assert.That(_sql.Sent, Has.Some.Matches<SentCommand>(c => c.Text.Contains("DELETE") && c.Text.Contains("[wecom_call_budget]")));
        }

        TSqlCheck.AssertParses(_sql.Sent.Select(c => c.Text));
    }

    [Test]
    public async Task InboxGroupCommit_InsertAndStoredKeysSql_ParsesAsTSql()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = Infrastructure.Approvals.WeCom.Inbox.InboxRows.For(db);
        var messages = Enumerable.Range(0, rows.RowsPerStatement)
            .Select(i => InboxMessage.Receive($"key-{i}", "event", "sys_approval_change", "<xml/>", _now)).ToList();
        var keys = messages.Select(m => m.EventKey).Take(3).ToList();
        var statements = new[]
        {
            rows.Build(db, messages, 0, 1).Text, // a lone callback
            rows.Build(db, messages, 0, rows.RowsPerStatement).Text, // a full statement
            db.Inbox.AsNoTracking().Where(m => keys.Contains(m.EventKey)).Select(m => m.EventKey).ToQueryString(), // stored before
        };

        Assert.That(rows.Build(db, messages, 0, rows.RowsPerStatement).Parameters, Has.Length.LessThanOrEqualTo(TSqlCheck.MaxParameters));
        TSqlCheck.AssertParses(statements);
    }

    /// <summary>Proof the check can fail: the claim as SQLite writes it (LIMIT) is refused, and the failure names it.</summary>
    [Test]
    public void Check_RefusesSqliteDialect_NamingTheStatement()
    {
        const string sqliteClaim = "UPDATE \"wecom_inbox\" SET \"lock_owner\" = @owner WHERE \"id\" IN "
                                   + "(SELECT \"w\".\"id\" FROM \"wecom_inbox\" AS \"w\" ORDER BY \"w\".\"received_at\" LIMIT @p)";
        const string tsqlClaim = "UPDATE [w] SET [w].[lock_owner] = @owner FROM [wecom_inbox] AS [w] WHERE [w].[id] IN "
                                 + "(SELECT TOP(@p) [w0].[id] FROM [wecom_inbox] AS [w0] ORDER BY [w0].[received_at])";

        Assert.That(TSqlCheck.Errors(tsqlClaim), Is.Empty);
        Assert.That(TSqlCheck.Errors(sqliteClaim), Is.Not.Empty);
        Assert.That(TSqlCheck.Failures([tsqlClaim, sqliteClaim]),
            Does.Contain("1 of 2 statement(s)").And.Contain(sqliteClaim).And.Not.Contain(tsqlClaim));
    }

    /// <summary>Every set-based or raw SQL call in src is one the tests above send (a new one must be added here).</summary>
    [Test]
    public void EverySetBasedOrRawSqlCallInSrc_IsCoveredHere()
    {
        var root = RepositoryRoot();
        var src = Path.Combine(root, "src");
        var callers = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => SetBasedOrRawSql().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order();

        Assert.That(callers, Is.EqualTo(new[]
        {
            "src/Application/Approvals/SyncPendingApprovals/ApprovalSyncSchedule.cs", // SyncRun_..., ListScan_ClaimAndScheduleUpdates...
            "src/Application/Customers/Assignments/BulkAssignment.cs", // BatchAssignment_Over2100Ids_...
            "src/Infrastructure/Approvals/Live/StreamTickets.cs", // StreamTicketIssue_ExpiredTicketCleanupSql_ParsesAsTSql
            "src/Infrastructure/Approvals/WeCom/Budget/WeComCallCounter.cs", // CallBudget_TakeAndCountSql_ParsesAsTSql
            "src/Infrastructure/Approvals/WeCom/Inbox/IInboxBatchWriter.cs", // PRAGMA synchronous: SQLite only, never sent to SQL Server
            "src/Infrastructure/Approvals/WeCom/Inbox/InboxRows.cs", // InboxGroupCommit_InsertAndStoredKeysSql_ParsesAsTSql
            "src/Infrastructure/Persistence/DatabaseSetup.cs", // PRAGMA journal_mode=WAL: SQLite only, never sent to SQL Server
            "src/Infrastructure/Work/WorkQueue.cs", // the three drains' claims, WorkQueue_ReleaseAndCompletionSql_...
        }));
    }

    [GeneratedRegex(@"\.(ExecuteUpdate|ExecuteDelete|FromSql|ExecuteSql|SqlQuery)\w*\s*[(<]")]
    private static partial Regex SetBasedOrRawSql();

    private async Task ReleaseAndCompleteAsync<T>(T item, Action<T> settle)
        where T : class
    {
        var owner = Guid.NewGuid().ToString("N");
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Claimed(db, item, owner);
            var queue = scope.ServiceProvider.GetRequiredService<IWorkQueue<T>>();
            await queue.ReleaseAsync(new WorkBatch<T>(owner, _now.AddMinutes(1), [item]), [item], CancellationToken.None);
        }

        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Claimed(db, item, owner);
            settle(item);
            scope.ServiceProvider.GetRequiredService<IWorkQueue<T>>().Complete(item);
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateConcurrencyException)
            {
                // The offline server reports no row changed; the UPDATE it was sent is what counts here.
            }
        }
    }

    /// <summary>Tracks the row as a claim leaves it: unchanged, leased to <paramref name="owner"/>.</summary>
    private static void Claimed<T>(AppDbContext db, T item, string owner)
        where T : class
    {
        var entry = db.Attach(item);
        foreach (var (name, value) in new (string, object?)[] { ("LockOwner", owner), ("LockedUntil", _now.AddMinutes(1)), ("Version", Guid.NewGuid()) })
        {
            var property = entry.Property(name);
            property.CurrentValue = value;
            property.OriginalValue = value;
            property.IsModified = false;
        }
    }

    private async Task SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    private static bool IsUpdateOf(SentCommand command, string table) =>
        command.Text.Contains("UPDATE") && command.Text.Contains($"FROM [{table}]");

    // The scan's row exists (its EXISTS test answers true), so the scan goes on to its claim.
    private static DataTable? ListScanScheduled(DbCommand command) =>
        ClaimCandidate(command) ?? (command.CommandText.Contains("EXISTS") && command.CommandText.Contains("[approval_list_scan]") ? Table([typeof(bool)], [true]) : null);

    // A work queue's first read finds one due row (its id and version), so the claim goes on to its update.
    private static DataTable? ClaimCandidate(DbCommand command) =>
        command.CommandText.StartsWith("SELECT TOP(", StringComparison.Ordinal) && command.CommandText.Contains("AS [Version]")
            ? Table([typeof(Guid), typeof(Guid)], [Guid.NewGuid(), Guid.NewGuid()])
            : null;

    private static DataTable Table(Type[] columns, params object[][] rows)
    {
        var table = new DataTable();
        for (var i = 0; i < columns.Length; i++)
        {
            table.Columns.Add($"c{i}", columns[i]);
        }

        foreach (var row in rows)
        {
            table.Rows.Add(row);
        }

        return table;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrmIntegration.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No CrmIntegration.sln above {AppContext.BaseDirectory}.");
    }
}
