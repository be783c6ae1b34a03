using CrmIntegration.Application;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Application.Customers.BatchAssignCustomers;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Tests.Shared;
using MediatR;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Infrastructure.SqlServerTests;

/// <summary>
/// The behaviours that differ by engine, on SQL Server (tests/Shared/EngineScenarios.cs): several instances claiming
/// one database's queues, a callback flood with duplicates, a deadlock retried by the execution strategy, several
/// instances spending one WeCom call budget, a batch assignment over the 2,100-parameter limit. Their
/// SQLite runs are Application.UnitTests' EngineScenarioTests and BulkAssignmentTests; without Docker these skip.
/// </summary>
[TestFixture]
public sealed class SqlServerEngineScenarioTests
{
    private const int SqlServerDeadlockVictim = 1205;
    private static readonly DateTimeOffset _now = new(2026, 11, 30, 3, 30, 0, TimeSpan.Zero);

    private string? _connectionString;

    [SetUp]
    public async Task SetUp()
    {
        _connectionString = SqlServerEnvironment.ConnectionString($"crm_{Guid.NewGuid():N}");
        await using var db = NewContext();
        await db.Database.MigrateAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_connectionString is null)
        {
            return; // skipped: no server was started
        }

        SqlConnection.ClearAllPools();
        await using var db = NewContext();
        await db.Database.EnsureDeletedAsync();
    }

    [Test]
    public async Task FourInstances_DrainInboxOutboxAndSyncScheduleAtOnce_NothingTwice_NothingLost()
    {
        // A deadlock victim's statement fails whole (nothing claimed or saved) and is sent again: by the contexts' own
        // retrying execution strategy (DatabaseSetup.SqlServerOptions, ADR-26), and by the scenario if it gives up.
        var scenario = new WorkQueueContention(NewContext, _now,
            e => (e as SqlException ?? e.InnerException as SqlException) is { Number: SqlServerDeadlockVictim });
        await scenario.SeedAsync();

        await scenario.DrainAtOnceAsync();

        TestContext.Out.WriteLine($"statements sent again after a deadlock: {scenario.Retried}");
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
    public async Task TwoUnitsOfWork_WritingTwoRowsInOppositeOrders_Deadlock_TheVictimIsRunAgain_BothCommitOnce()
    {
        var writers = new OppositeOrderWriters(interceptor => new SqlServerAppDbContext(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer(_connectionString, DatabaseSetup.SqlServerOptions).AddInterceptors(interceptor).Options), _now);
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

    [Test]
    public async Task BatchAssignment_Of2101Customers_AssignsEveryOne_WithHistoryAndOneSummary()
    {
        const int count = 2_101; // one over SQL Server's 2,100 parameters per request
        var employee = Employee.Create("Alice", "alice", "oAlice", _now);
        var customers = Enumerable.Range(0, count).Select(i => Customer.Create($"客户{i}", "公司", "1", false, _now)).ToList();
        await using (var db = NewContext())
        {
            db.Employees.Add(employee);
            db.Customers.AddRange(customers);
            await db.SaveChangesAsync();
        }

        await using var services = Services();
        AssignmentResultDto result;
        await using (var scope = services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new BatchAssignCustomersCommand([.. customers.Select(c => c.Id)], employee.Id, new Actor("manager-1", true, null)));
        }

        await using var after = NewContext();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Assigned, result.Unchanged), Is.EqualTo((count, 0)));
            Assert.That(await after.Customers.CountAsync(c => c.OwnerEmployeeId == employee.Id), Is.EqualTo(count));
            Assert.That(await after.AssignmentHistory.CountAsync(h => h.OperationId == result.OperationId), Is.EqualTo(count));
            Assert.That(await after.Notifications.CountAsync(n => n.OperationId == result.OperationId), Is.EqualTo(1));
        }
    }

    private ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Crm"] = _connectionString,
        }).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(_now))
            .AddApplication()
            .AddInfrastructure(configuration)
            .BuildServiceProvider();
    }

    private SqlServerAppDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer(_connectionString, DatabaseSetup.SqlServerOptions).Options);
}
