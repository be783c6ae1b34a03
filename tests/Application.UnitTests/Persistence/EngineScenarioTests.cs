using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.UnitTests.Persistence;

/// <summary>
/// The SQLite runs of the behaviours that differ by engine (tests/Shared/EngineScenarios.cs), on a WAL file with the
/// production busy timeout, every context on its own connection. Their SQL Server twins are
/// Infrastructure.SqlServerTests' SqlServerEngineScenarioTests (Testcontainers; skipped, with the reason, without Docker).
/// The batch assignment over SQL Server's 2,100-parameter limit runs here as BulkAssignmentTests.BatchAssign_10000Customers_….
/// </summary>
[TestFixture]
public sealed class EngineScenarioTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 30, 3, 30, 0, TimeSpan.Zero);

    private string _file = null!;

    [SetUp]
    public async Task SetUp()
    {
        _file = Path.Combine(Path.GetTempPath(), $"crm-engine-{Guid.NewGuid():N}.db");
        await using var db = NewContext();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task FourInstances_DrainInboxOutboxAndSyncScheduleAtOnce_NothingTwice_NothingLost()
    {
        var scenario = new WorkQueueContention(NewContext, _now, _ => false);
        await scenario.SeedAsync();

        await scenario.DrainAtOnceAsync();

        await scenario.AssertNothingTwiceNothingLostAsync();
    }

    [Test]
    public async Task CallbackFlood_WithDuplicateDeliveries_StoresEachOnce_AndRecognisesEveryDuplicateAsAUniqueViolation()
    {
        var flood = new DuplicateDeliveryFlood(NewContext, _now);

        await flood.RunAsync();

        await flood.AssertEachStoredOnceAsync();
    }

    [Test]
    public async Task TwoUnitsOfWork_WritingTwoRowsInOppositeOrders_TheOneKeptWaitingPastItsBusyTimeout_IsRunAgain_BothCommitOnce()
    {
        // SQLite has no deadlock: the second writer waits for the lock, here for 1 s (Default Timeout, no busy_timeout
        // pragma), then fails with SQLITE_BUSY, and the execution strategy runs its unit of work again.
        var writers = new OppositeOrderWriters(interceptor => new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite($"Data Source={_file};Default Timeout=1", DatabaseSetup.SqliteOptions)
            .AddInterceptors(interceptor).Options), _now);
        await writers.SeedAsync();

        await writers.RunAtOnceAsync();

        await writers.AssertBothCommittedOnceAfterOneRetryAsync();
    }

    [Test]
    public async Task FourInstances_SpendingOneCallBudgetAtOnce_NeverPassTheShare_AndCountEverySubmission()
    {
        var budget = new CallBudgetAcrossInstances(NewContext, _now);

        await budget.RunAtOnceAsync();

        await budget.AssertNeverPastTheShare_AndEverythingCountedAsync();
    }

    private SqliteAppDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite($"Data Source={_file}", DatabaseSetup.SqliteOptions)
            .AddInterceptors(new SqliteConnectionPragmas()).Options);
}
