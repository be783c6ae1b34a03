using CrmIntegration.Domain.Customers;
using CrmIntegration.Domain.Customers.Rules;
using CrmIntegration.Domain.UnitTests.Support;
using static CrmIntegration.Domain.UnitTests.Support.DomainAssert;

namespace CrmIntegration.Domain.UnitTests.Customers;

public sealed class EmployeeNotificationTests
{
    [Test]
    public void ForSummary_WithManyNames_KeepsTheCountAndAFewNames()
    {
        var n = EmployeeNotification.ForSummary(Guid.NewGuid(), Guid.NewGuid(), AssignmentChannel.Batch, 12, ["张三", "李四", "王五", "赵六"], Given.T0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(n.Kind, Is.EqualTo(NotificationKind.Summary));
            Assert.That(n.CustomerCount, Is.EqualTo(12));
            Assert.That(n.CustomerNames, Is.EqualTo("张三、李四、王五"));
            Assert.That(n.Status, Is.EqualTo(NotificationStatus.Pending));
            Assert.That(n.NextAttemptAt, Is.EqualTo(Given.T0));
            Assert.That(n.Attempts, Is.Zero);
        }
    }

    [Test]
    public void ForSingle_Always_NamesTheCustomer()
    {
        var customer = Guid.NewGuid();
        var n = EmployeeNotification.ForSingle(Guid.NewGuid(), Guid.NewGuid(), AssignmentChannel.Web, customer, "张三", Given.T0);

        Assert.That((n.Kind, n.CustomerCount, n.CustomerNames, n.CustomerId), Is.EqualTo((NotificationKind.Single, 1, "张三", (Guid?)customer)));
    }

    [Test]
    public void Requeue_WhenPending_BreaksOnlyUndeliveredNotificationCanBeRetried()
    {
        var n = EmployeeNotification.ForSingle(Guid.NewGuid(), Guid.NewGuid(), AssignmentChannel.Web, Guid.NewGuid(), "张三", Given.T0);

        var rule = AssertBrokenRule<OnlyUndeliveredNotificationCanBeRetriedRule>(() => n.Requeue(Given.At(1)));

        Assert.That(rule.Current, Is.EqualTo(NotificationStatus.Pending));
    }

    [TestCase(NotificationStatus.Sent, true)]
    [TestCase(NotificationStatus.Pending, true)]
    [TestCase(NotificationStatus.Dead, false)]
    [TestCase(NotificationStatus.Failed, false)]
    [TestCase(NotificationStatus.NotSubscribed, false)]
    [TestCase(NotificationStatus.SkippedNoOpenid, false)]
    public void OnlyUndeliveredRule_ForStatus_IsBrokenOnlyForSentAndPending(NotificationStatus status, bool broken) =>
        Assert.That(new OnlyUndeliveredNotificationCanBeRetriedRule(status).IsBroken(), Is.EqualTo(broken));

    [Test]
    public void Create_Employee_TrimsAndTreatsBlankOpenIdAsNone()
    {
        var employee = Employee.Create(" Alice ", " alice ", "  ", Given.T0);
        employee.SetMiniProgramOpenId(null);

        Assert.That((employee.Name, employee.WeComUserId, employee.MiniProgramOpenId), Is.EqualTo(("Alice", "alice", (string?)null)));
    }
}
