using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.UnitTests.Support;

namespace CrmIntegration.Domain.UnitTests.Approvals;

public sealed class ApprovalInstanceConfirmSubmittedTests
{
    private const string SpNo = "202611220001";

    [Test]
    public void ConfirmSubmitted_WhileStillPending_RecordsTheSpNoAndMovesTheQuoteToPendingApproval()
    {
        var approval = Requested();

        var transition = approval.Quote.ConfirmSubmission(approval, SpNo, Given.At(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition, Is.EqualTo(ApprovalTransition.Applied));
            Assert.That((approval.SpNo, approval.SubmissionState), Is.EqualTo((SpNo, SubmissionState.Submitted)));
            Assert.That(approval.Quote.Status, Is.EqualTo(QuoteStatus.PendingApproval));
        }
    }

    [Test]
    public void ConfirmSubmitted_AfterAnEventMovedTheApprovalOn_RecordsTheSpNo_AndTheEventStands()
    {
        var approval = Requested();
        approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Approved, Given.At(1), Given.At(1)); // arrived while WeCom was answering

        var transition = approval.Quote.ConfirmSubmission(approval, SpNo, Given.At(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Outcome, Is.EqualTo(TimelineOutcome.Stale));
            Assert.That(transition.Rule, Is.EqualTo("TerminalApprovalCannotReturnToPending"));
            Assert.That((approval.SpNo, approval.SubmissionState), Is.EqualTo((SpNo, SubmissionState.Submitted)));
            Assert.That(approval.Quote.Status, Is.EqualTo(QuoteStatus.Approved));
        }
    }

    private static ApprovalInstance Requested() =>
        Given.NewQuote().RequestApproval("tpl", "WangXiaoMing", Given.At(0));
}
