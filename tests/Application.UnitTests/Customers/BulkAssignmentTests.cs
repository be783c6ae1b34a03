using System.Diagnostics;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Customers.AssignFromPublicPool;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Application.Customers.BatchAssignCustomers;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Common;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Domain.Customers.Rules;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.UnitTests.Customers;

/// <summary>The set-based batch and public-pool paths on SQLite.</summary>
public sealed class BulkAssignmentTests
{
    private static readonly Actor _manager = new("manager-1", true, null);

    private TestDatabase _database = null!;
    private TestServices _services = null!;
    private Guid _alice;
    private Guid _bob;

    [SetUp]
    public async Task SetUp()
    {
        _database = TestDatabase.Create();
        _services = new TestServices(_database);
        await using var db = _database.NewContext();
        var alice = Employee.Create("Alice", "alice", "oAlice", _services.Clock.GetUtcNow());
        var bob = Employee.Create("Bob", "bob", null, _services.Clock.GetUtcNow());
        db.Employees.AddRange(alice, bob);
        await db.SaveChangesAsync();
        (_alice, _bob) = (alice.Id, bob.Id);
    }

    [TearDown]
    public void TearDown()
    {
        _services.Dispose();
        _database.Dispose();
    }

    [Test]
    public async Task BatchAssign_WhenSomeAreAlreadyOwned_AssignsTheRestWithHistoryAndOneSummary()
    {
        var ids = await SeedAsync(5);
        await _services.SendAsync(new BatchAssignCustomersCommand(ids[..2], _bob, _manager));
        await _services.SendAsync(new BatchAssignCustomersCommand(ids[2..3], _alice, _manager));

        var result = await _services.SendAsync(new BatchAssignCustomersCommand(ids, _alice, _manager));

        await using var db = _database.NewContext();
        var history = await db.AssignmentHistory.Where(h => h.OperationId == result.OperationId).ToListAsync();
        var summary = await db.Notifications.SingleAsync(n => n.OperationId == result.OperationId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.Assigned, result.Unchanged), Is.EqualTo((4, 1)));
            Assert.That(await db.Customers.CountAsync(c => c.OwnerEmployeeId == _alice), Is.EqualTo(5));
            Assert.That(history.Count(h => h.FromEmployeeId == _bob), Is.EqualTo(2));
            Assert.That(history.Count(h => h.FromEmployeeId == null), Is.EqualTo(2));
            Assert.That(history.All(h => h.Channel == AssignmentChannel.Batch && h.AssignedBy == "manager-1"), Is.True);
            Assert.That((summary.CustomerCount, summary.EmployeeId, summary.Id), Is.EqualTo((4, _alice, result.NotificationId)));
            Assert.That(_services.Signal.Count, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task BatchAssign_WhenAllAreAlreadyOwned_QueuesNothing()
    {
        var ids = await SeedAsync(2);
        await _services.SendAsync(new BatchAssignCustomersCommand(ids, _alice, _manager));

        var again = await _services.SendAsync(new BatchAssignCustomersCommand(ids, _alice, _manager));

        await using var db = _database.NewContext();
        Assert.That((again.Assigned, again.Unchanged, again.NotificationId, await db.Notifications.CountAsync()), Is.EqualTo((0, 2, (Guid?)null, 1)));
    }

    [Test]
    public async Task BatchAssign_WithUnknownIds_ThrowsNotFoundListingThemAndChangesNothing()
    {
        var ids = await SeedAsync(3);
        var unknown = Guid.NewGuid();

        var e = Assert.ThrowsAsync<NotFoundException>(() => _services.SendAsync(new BatchAssignCustomersCommand([.. ids, unknown], _alice, _manager)));

        await using var db = _database.NewContext();
        Assert.That(e!.Ids, Is.EqualTo(new[] { unknown }));
        Assert.That(await db.Customers.CountAsync(c => c.OwnerEmployeeId != null), Is.Zero);
        Assert.That(await db.AssignmentHistory.CountAsync(), Is.Zero);
    }

    [Test]
    public void BatchAssign_ToUnknownEmployee_ThrowsNotFound() =>
        Assert.ThrowsAsync<NotFoundException>(async () => await _services.SendAsync(new BatchAssignCustomersCommand([.. await SeedAsync(1)], Guid.NewGuid(), _manager)));

    [Test]
    public async Task BatchAssign_10000Customers_TakesFewStatementsAndSeconds()
    {
        var ids = await SeedAsync(10_000);

        var stopwatch = Stopwatch.StartNew();
        var result = await _services.SendAsync(new BatchAssignCustomersCommand(ids, _alice, _manager));
        stopwatch.Stop();
        TestContext.Out.WriteLine($"10,000 customers assigned in {stopwatch.ElapsedMilliseconds} ms");

        Assert.That(result.Assigned, Is.EqualTo(10_000));
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task PublicPool_WhenOneIsNoLongerInThePool_FailsWholeNamingItAndChangesNothing()
    {
        var pooled = await SeedAsync(3, inPublicPool: true);
        var taken = await SeedAsync(1, inPublicPool: false);

        var e = Assert.ThrowsAsync<BusinessRuleException>(() => _services.SendAsync(new AssignFromPublicPoolCommand([.. pooled, .. taken], _alice, _manager)));

        await using var db = _database.NewContext();
        Assert.That(e!.Rule, Is.TypeOf<CustomersMustBeInPublicPoolRule>());
        Assert.That(((IBusinessRuleWithIds)e.Rule).FailedIds, Is.EqualTo(taken));
        Assert.That(await db.Customers.CountAsync(c => c.InPublicPool), Is.EqualTo(3));
    }

    [Test]
    public async Task PublicPool_AsSalesForThemselves_Claims()
    {
        var pooled = await SeedAsync(2, inPublicPool: true);

        var result = await _services.SendAsync(new AssignFromPublicPoolCommand(pooled, _alice, new Actor("sales-1", false, "alice")));

        await using var db = _database.NewContext();
        Assert.That(result.Assigned, Is.EqualTo(2));
        Assert.That(await db.AssignmentHistory.AllAsync(h => h.Channel == AssignmentChannel.PublicPool && h.AssignedBy == "sales-1"), Is.True);
    }

    [TestCase("bob")]
    [TestCase(null)]
    [TestCase("nobody")]
    public async Task PublicPool_AsSalesNotThemselves_ThrowsForbidden(string? weComUserId)
    {
        var pooled = await SeedAsync(1, inPublicPool: true);
        Assert.ThrowsAsync<ForbiddenAccessException>(() => _services.SendAsync(new AssignFromPublicPoolCommand(pooled, _alice, new Actor("sales-1", false, weComUserId))));
    }

    private async Task<List<Guid>> SeedAsync(int count, bool inPublicPool = false)
    {
        await using var db = _database.NewContext();
        var customers = Enumerable.Range(0, count).Select(i => Customer.Create($"客户{i}", "公司", "1", inPublicPool, _services.Clock.GetUtcNow())).ToList();
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync();
        return customers.Select(c => c.Id).ToList();
    }
}
