using CrmIntegration.Domain.Customers;
using CrmIntegration.Domain.Customers.Rules;
using CrmIntegration.Domain.UnitTests.Support;
using static CrmIntegration.Domain.UnitTests.Support.DomainAssert;

namespace CrmIntegration.Domain.UnitTests.Customers;

public sealed class CustomerTests
{
    private static readonly Guid _alice = Guid.NewGuid();
    private static readonly Guid _bob = Guid.NewGuid();

    [Test]
    public void Create_WhenValid_IsUnownedWithAVersion()
    {
        var customer = Customer.Create(" 张三 ", " 某某公司 ", " 13800000000 ", inPublicPool: true, Given.T0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(customer.Name, Is.EqualTo("张三"));
            Assert.That(customer.Company, Is.EqualTo("某某公司"));
            Assert.That(customer.OwnerEmployeeId, Is.Null);
            Assert.That(customer.InPublicPool, Is.True);
            Assert.That(customer.AssignedAt, Is.Null);
            Assert.That(customer.Version, Is.Not.EqualTo(Guid.Empty));
        }
    }

    [Test]
    public void AssignTo_WhenOwnedBySomeoneElse_MovesItAndRecordsFromAndTo()
    {
        var customer = Customer.Create("张三", "", "", false, Given.T0);
        customer.AssignTo(_alice, AssignmentChannel.Web, "manager-1", Guid.NewGuid(), Given.At(1));
        var version = customer.Version;
        var operation = Guid.NewGuid();

        var history = customer.AssignTo(_bob, AssignmentChannel.Miniprogram, "manager-2", operation, Given.At(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(history, Is.Not.Null);
            Assert.That(history!.FromEmployeeId, Is.EqualTo(_alice));
            Assert.That(history.ToEmployeeId, Is.EqualTo(_bob));
            Assert.That(history.AssignedBy, Is.EqualTo("manager-2"));
            Assert.That(history.Channel, Is.EqualTo(AssignmentChannel.Miniprogram));
            Assert.That(history.OperationId, Is.EqualTo(operation));
            Assert.That(history.AssignedAt, Is.EqualTo(Given.At(2)));
            Assert.That(customer.OwnerEmployeeId, Is.EqualTo(_bob));
            Assert.That(customer.AssignedAt, Is.EqualTo(Given.At(2)));
            Assert.That(customer.Version, Is.Not.EqualTo(version));
        }
    }

    [Test]
    public void AssignTo_WhenTheEmployeeAlreadyOwnsIt_ChangesNothing()
    {
        var customer = Customer.Create("张三", "", "", false, Given.T0);
        customer.AssignTo(_alice, AssignmentChannel.Web, "m", Guid.NewGuid(), Given.At(1));
        var version = customer.Version;

        var history = customer.AssignTo(_alice, AssignmentChannel.Web, "m", Guid.NewGuid(), Given.At(2));

        Assert.That((history, customer.Version, customer.AssignedAt), Is.EqualTo(((AssignmentHistory?)null, version, (DateTimeOffset?)Given.At(1))));
    }

    [Test]
    public void AssignTo_WhenInThePool_TakesItOut()
    {
        var customer = Customer.Create("张三", "", "", true, Given.T0);

        var history = customer.AssignTo(_alice, AssignmentChannel.PublicPool, "sales-1", Guid.NewGuid(), Given.At(1));

        Assert.That((history is not null, customer.InPublicPool, customer.OwnerEmployeeId), Is.EqualTo((true, false, (Guid?)_alice)));
    }

    [Test]
    public void AssignTo_FromThePublicPoolWhenNoLongerInIt_BreaksCustomersMustBeInPublicPool()
    {
        var customer = Customer.Create("张三", "", "", true, Given.T0);
        customer.AssignTo(_alice, AssignmentChannel.PublicPool, "sales-1", Guid.NewGuid(), Given.At(1));

        var rule = AssertBrokenRule<CustomersMustBeInPublicPoolRule>(
            () => customer.AssignTo(_bob, AssignmentChannel.PublicPool, "sales-2", Guid.NewGuid(), Given.At(2)));

        Assert.That(rule.FailedIds, Is.EqualTo(new[] { customer.Id }));
        Assert.That(customer.OwnerEmployeeId, Is.EqualTo(_alice));
    }

    [Test]
    public void CheckClaimable_WhenSomeAreOutOfThePool_NamesExactlyThose()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();

        var rule = AssertBrokenRule<CustomersMustBeInPublicPoolRule>(() => Customer.CheckClaimable([(a, true), (b, false), (c, false)]));

        Assert.That(rule.FailedIds, Is.EqualTo(new[] { b, c }));
        Assert.That(rule.Message, Does.Contain("2 customers"));
    }

    [Test]
    public void CheckClaimable_WhenAllAreInThePool_Passes() =>
        Assert.DoesNotThrow(() => Customer.CheckClaimable([(Guid.NewGuid(), true), (Guid.NewGuid(), true)]));
}
