using CrmIntegration.Application.Common.Work;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmIntegration.Application.Customers.AssignCustomer;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Application.Customers.BatchAssignCustomers;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Persistence;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Benchmarks.Customers;

/// <summary>
/// Customer assignment as the API runs it: one DI scope and one MediatR send (logging, validation) per
/// request, on a migrated SQLite file in WAL mode as production configures it, seeded in [GlobalSetup]
/// with <see cref="Customers"/> customers and three employees.
/// Every invocation reassigns its customers to the other of two employees, so every customer really changes
/// owner and gets a history row, and each request queues its outbox notification (one per batch, one per
/// single assignment); a result that changed fewer customers than were sent fails the run.
/// <c>OperationsPerInvoke</c> is the number of customers, so Mean is per customer, Ops/s is customers per
/// second and Ratio compares the per-customer cost with the baseline's.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneInvocationConfig))]
public class CustomerAssignmentBenchmarks
{
    public const int Customers = 10_000;
    public const int SmallBatch = 1_000;

    private static readonly Actor Manager = new("benchmark-manager", IsManager: true, WeComUserId: null);

    private BenchmarkDatabase _database = null!;
    private ServiceProvider _services = null!;
    private Guid[] _customerIds = [];
    private Guid[] _smallBatchIds = [];
    private Guid[] _employeeIds = [];
    private int _invocations;

    [GlobalSetup]
    public void Setup()
    {
        _database = new BenchmarkDatabase(s => s.AddSingleton<IWorkSignals, NoDispatcherSignal>()); // no dispatcher here: outbox rows stay queued
        _services = _database.Services;

        var now = DateTimeOffset.UtcNow;
        var employees = Enumerable.Range(1, 3)
            .Select(e => Employee.Create(
                string.Create(CultureInfo.InvariantCulture, $"Benchmark employee {e}"),
                string.Create(CultureInfo.InvariantCulture, $"bench-{e}"),
                string.Create(CultureInfo.InvariantCulture, $"oBench{e:D22}"),
                now))
            .ToArray();
        var customers = Enumerable.Range(0, Customers)
            .Select(c => Customer.Create(
                string.Create(CultureInfo.InvariantCulture, $"Customer {c:D5}"), "Benchmark Ltd", "+86 10 0000 0000", false, now))
            .ToArray();
        using (var scope = _services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Employees.AddRange(employees);
            db.Customers.AddRange(customers);
            db.SaveChanges();
        }

        _employeeIds = [.. employees.Select(e => e.Id)];
        _customerIds = [.. customers.Select(c => c.Id)];
        _smallBatchIds = _customerIds[..SmallBatch];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Customers, Description = "10,000 x AssignCustomer")]
    public int SingleAssignments()
    {
        var employeeId = NextOwner();
        var assigned = 0;
        foreach (var customerId in _customerIds)
        {
            assigned += Send(new AssignCustomerCommand(customerId, employeeId, AssignmentChannel.Web, Manager)).Assigned;
        }

        return Expect(assigned, Customers);
    }

    [Benchmark(OperationsPerInvoke = SmallBatch, Description = "BatchAssignCustomers, 1,000")]
    public int BatchAssign1000() =>
        Expect(Send(new BatchAssignCustomersCommand(_smallBatchIds, NextOwner(), Manager)).Assigned, SmallBatch);

    [Benchmark(OperationsPerInvoke = Customers, Description = "BatchAssignCustomers, 10,000")]
    public int BatchAssign10000() =>
        Expect(Send(new BatchAssignCustomersCommand(_customerIds, NextOwner(), Manager)).Assigned, Customers);

    private static int Expect(int assigned, int expected) => assigned == expected
        ? assigned
        : throw new InvalidOperationException($"Assigned {assigned} customers, expected {expected}: an invocation did not change every owner.");

    /// <summary>Alternates between the first two employees, so each invocation changes every customer's owner.</summary>
    private Guid NextOwner() => _employeeIds[_invocations++ % 2];

    private AssignmentResultDto Send(IRequest<AssignmentResultDto> command)
    {
        using var scope = _services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IMediator>().Send(command).GetAwaiter().GetResult();
    }

    private sealed class NoDispatcherSignal : IWorkSignals
    {
        public void Notify(WorkKind kind)
        {
        }
    }
}
