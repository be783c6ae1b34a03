using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Domain.UnitTests.Approvals;

public sealed class WeComApprovalStatusTests
{
    [TestCase(1, ApprovalStatus.Pending)]
    [TestCase(2, ApprovalStatus.Approved)]
    [TestCase(3, ApprovalStatus.Rejected)]
    [TestCase(4, ApprovalStatus.Cancelled)]
    [TestCase(6, ApprovalStatus.Cancelled)]
    [TestCase(7, ApprovalStatus.Cancelled)]
    [TestCase(10, ApprovalStatus.Approved)]
    public void Map_WhenCodeIsKnown_ReturnsItsStatus(int code, ApprovalStatus expected)
    {
        Assert.That(WeComApprovalStatus.Map(code), Is.EqualTo(expected));
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(8)]
    [TestCase(9)]
    [TestCase(11)]
    [TestCase(99)]
    [TestCase(-1)]
    [TestCase(int.MinValue)]
    [TestCase(int.MaxValue)]
    public void Map_WhenCodeIsUnknown_ReturnsNull(int code)
    {
        Assert.That(WeComApprovalStatus.Map(code), Is.Null);
    }

    [TestCase(ApprovalStatus.Pending, 1)]
    [TestCase(ApprovalStatus.Approved, 2)]
    [TestCase(ApprovalStatus.Rejected, 3)]
    [TestCase(ApprovalStatus.Cancelled, 4)]
    public void CodeOf_WhenStatusIsDefined_ReturnsWeComCode(ApprovalStatus status, int expected)
    {
        Assert.That(WeComApprovalStatus.CodeOf(status), Is.EqualTo(expected));
    }

    [Test]
    public void CodeOf_WhenMappedBack_ReturnsSameStatusForEveryStatus()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var status in Enum.GetValues<ApprovalStatus>())
            {
                Assert.That(WeComApprovalStatus.Map(WeComApprovalStatus.CodeOf(status)), Is.EqualTo(status), status.ToString());
            }
        }
    }

    [Test]
    public void CodeOf_WhenStatusIsUndefined_Throws()
    {
        Assert.That(() => WeComApprovalStatus.CodeOf((ApprovalStatus)99), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
