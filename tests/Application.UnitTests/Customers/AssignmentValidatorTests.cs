using CrmIntegration.Application.Customers;
using CrmIntegration.Application.Customers.AssignCustomer;
using CrmIntegration.Application.Customers.Assignments;
using CrmIntegration.Application.Customers.BatchAssignCustomers;
using CrmIntegration.Domain.Customers;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.UnitTests.Customers;

public sealed class AssignmentValidatorTests
{
    private static readonly Actor _manager = new("manager-1", true, null);
    private static readonly BatchAssignCustomersCommandValidator _batch = new(Options.Create(new CustomersOptions { MaxBatchSize = 10_000 }));

    [Test]
    public void BatchAssign_WithEmptyList_FailsOnCustomerIds()
    {
        var result = _batch.Validate(new BatchAssignCustomersCommand([], Guid.NewGuid(), _manager));
        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "CustomerIds" }));
    }

    [Test]
    public void BatchAssign_WithDuplicates_NamesThem()
    {
        var twice = Guid.NewGuid();
        var result = _batch.Validate(new BatchAssignCustomersCommand([twice, Guid.NewGuid(), twice], Guid.NewGuid(), _manager));
        Assert.That(result.Errors.Single().ErrorMessage, Does.Contain(twice.ToString()));
    }

    [Test]
    public void BatchAssign_WithMaxBatchSize_PassesAndOneMoreFails()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => Guid.NewGuid()).ToList();

        var atMax = _batch.Validate(new BatchAssignCustomersCommand(ids, Guid.NewGuid(), _manager));
        var overMax = _batch.Validate(new BatchAssignCustomersCommand([.. ids, Guid.NewGuid()], Guid.NewGuid(), _manager));

        Assert.That(atMax.IsValid, Is.True);
        Assert.That(overMax.Errors.Single().ErrorMessage, Does.Contain("at most 10000"));
    }

    [Test]
    public void BatchAssign_WithEmptyGuids_Fails()
    {
        var result = _batch.Validate(new BatchAssignCustomersCommand([Guid.Empty], Guid.Empty, _manager));
        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EquivalentTo(new[] { "CustomerIds", "EmployeeId" }));
    }

    [TestCase(AssignmentChannel.Batch)]
    [TestCase(AssignmentChannel.PublicPool)]
    public void AssignCustomer_ThroughABulkChannel_Fails(AssignmentChannel channel)
    {
        var result = new AssignCustomerCommandValidator().Validate(new AssignCustomerCommand(Guid.NewGuid(), Guid.NewGuid(), channel, _manager));
        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "Channel" }));
    }
}
