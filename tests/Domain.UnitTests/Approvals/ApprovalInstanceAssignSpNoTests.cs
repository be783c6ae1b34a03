using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Approvals.Rules;
using CrmIntegration.Domain.UnitTests.Support;
using static CrmIntegration.Domain.UnitTests.Support.DomainAssert;

namespace CrmIntegration.Domain.UnitTests.Approvals;

public sealed class ApprovalInstanceAssignSpNoTests
{
    private const string SpNo = "202611220001";

    [Test]
    public void AssignSpNo_WhenNoneAssigned_RecordsIt()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);
        var version = approval.Version;

        approval.AssignSpNo(SpNo);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(approval.SpNo, Is.EqualTo(SpNo));
            Assert.That(approval.Version, Is.Not.EqualTo(version));
        }
    }

    [Test]
    public void AssignSpNo_WhenSameValueAssignedAgain_KeepsIt()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);
        approval.AssignSpNo(SpNo);

        Assert.DoesNotThrow(() => approval.AssignSpNo(SpNo));
        Assert.That(approval.SpNo, Is.EqualTo(SpNo));
    }

    [Test]
    public void AssignSpNo_WhenDifferentValueAssigned_BreaksSpNoIsAssignedOnce()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);
        approval.AssignSpNo(SpNo);
        var version = approval.Version;

        var rule = AssertBrokenRule<SpNoIsAssignedOnceRule>(() => approval.AssignSpNo("202611220002"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rule.Current, Is.EqualTo(SpNo));
            Assert.That(rule.Next, Is.EqualTo("202611220002"));
            Assert.That(approval.SpNo, Is.EqualTo(SpNo));
            Assert.That(approval.Version, Is.EqualTo(version));
        }
    }

    [Test]
    public void AssignSpNo_WhenValueDiffersOnlyInCase_BreaksSpNoIsAssignedOnce()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);
        approval.AssignSpNo("sp-abc");

        AssertBrokenRule<SpNoIsAssignedOnceRule>(() => approval.AssignSpNo("SP-ABC"));
    }
}
