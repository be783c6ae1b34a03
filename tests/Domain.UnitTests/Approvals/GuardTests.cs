using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Approvals.Rules;
using CrmIntegration.Domain.UnitTests.Support;

namespace CrmIntegration.Domain.UnitTests.Approvals;

[TestFixture]
public sealed class GuardTests
{
    [Test]
    public void Apply_WhenStatusIsUndefined_ThrowsAndChangesNothing()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);
        var version = approval.Version;

        Assert.Throws<ArgumentOutOfRangeException>(() => approval.Quote.ApplyApprovalStatus(approval, (ApprovalStatus)99, Given.At(5), Given.At(5)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(approval.Status, Is.EqualTo(ApprovalStatus.Pending));
            Assert.That(approval.Version, Is.EqualTo(version));
            Assert.That(approval.Quote.ApprovalStatus, Is.EqualTo(ApprovalStatus.Pending));
        }
    }

    [Test]
    public void AssignSpNo_WhenSameValueAgain_DoesNotBumpVersion()
    {
        var approval = Given.ApprovalIn(ApprovalStatus.Pending);
        approval.AssignSpNo("202611220001");
        var version = approval.Version;

        approval.AssignSpNo("202611220001");

        Assert.That(approval.Version, Is.EqualTo(version));
    }

    [TestCase("CIS\n")]
    [TestCase("CIS٣")]
    public void IsValidPrefix_WhenTrailingNewlineOrNonAsciiDigit_IsFalse(string prefix) =>
        Assert.That(QuoteNumber.IsValidPrefix(prefix), Is.False);

    [TestCase("CIS-20261122-0001\n")]
    [TestCase("CIS-2026112٣-0001")]
    public void LooksLikeQuoteNumber_WhenTrailingNewlineOrNonAsciiDigit_IsFalse(string number) =>
        Assert.That(QuoteNumber.LooksLikeQuoteNumber(number), Is.False);

    [Test]
    public void BrokenStartApprovalRule_NamesTheRuleWithoutThrowing()
    {
        var quote = Given.NewQuote();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(quote.BrokenStartApprovalRule(), Is.Null);
            quote.RequestApproval(Given.TemplateId, "zhangsan", Given.At(1));
            Assert.That(quote.BrokenStartApprovalRule(), Is.TypeOf<QuoteCanHaveOnlyOneOpenApprovalRule>());
        }
    }
}
