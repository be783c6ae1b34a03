using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Approvals.Rules;
using CrmIntegration.Domain.UnitTests.Support;
using static CrmIntegration.Domain.UnitTests.Support.DomainAssert;

namespace CrmIntegration.Domain.UnitTests.Approvals;

public sealed class QuoteTests
{
    [Test]
    public void Create_WhenValid_IsDraftWithoutApprovalStatus()
    {
        var quote = Quote.Create(Given.Number, "  Annual licence \t", " Acme Ltd ", 1_234.56m, "cny", Given.T0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(quote.Id, Is.Not.EqualTo(Guid.Empty));
            Assert.That(quote.Number, Is.EqualTo(Given.Number));
            Assert.That(quote.Title, Is.EqualTo("Annual licence"));
            Assert.That(quote.CustomerName, Is.EqualTo("Acme Ltd"));
            Assert.That(quote.Amount, Is.EqualTo(1_234.56m));
            Assert.That(quote.Currency, Is.EqualTo("CNY"));
            Assert.That(quote.Status, Is.EqualTo(QuoteStatus.Draft));
            Assert.That(quote.ApprovalStatus, Is.Null);
            Assert.That(quote.CreatedAt, Is.EqualTo(Given.T0));
            Assert.That(quote.UpdatedAt, Is.EqualTo(Given.T0));
            Assert.That(quote.Version, Is.Not.EqualTo(Guid.Empty));
            Assert.That(quote.Approvals, Is.Empty);
        }
    }

    [TestCaseSource(nameof(AmountsOutOfRange))]
    public void Create_WhenAmountIsNotPositiveOrAboveMax_BreaksQuoteAmountMustBePositive(decimal amount)
    {
        var rule = AssertBrokenRule<QuoteAmountMustBePositiveRule>(() => Given.NewQuote(amount));

        Assert.That(rule.Amount, Is.EqualTo(amount));
    }

    [TestCaseSource(nameof(AmountsInRange))]
    public void Create_WhenAmountIsWithinRange_Succeeds(decimal amount)
    {
        var quote = Given.NewQuote(amount);

        Assert.That(quote.Amount, Is.EqualTo(amount));
    }

    [TestCase(ApprovalKind.System, Given.TemplateId)]
    [TestCase(ApprovalKind.Open, null)]
    public void StartApproval_WhenDraft_StartsOpenPendingApproval(ApprovalKind kind, string? templateId)
    {
        var quote = Given.NewQuote();
        var quoteVersion = quote.Version;

        var approval = quote.StartApproval(kind, templateId, Given.At(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(quote.Status, Is.EqualTo(QuoteStatus.PendingApproval));
            Assert.That(quote.ApprovalStatus, Is.EqualTo(ApprovalStatus.Pending));
            Assert.That(quote.UpdatedAt, Is.EqualTo(Given.At(1)));
            Assert.That(quote.Version, Is.Not.EqualTo(quoteVersion));
            Assert.That(quote.Approvals, Is.EqualTo(new[] { approval }));
            Assert.That(approval.Id, Is.Not.EqualTo(Guid.Empty));
            Assert.That(approval.QuoteId, Is.EqualTo(quote.Id));
            Assert.That(approval.Quote, Is.SameAs(quote));
            Assert.That(approval.ThirdNo, Is.EqualTo(quote.Number));
            Assert.That(approval.SpNo, Is.Null);
            Assert.That(approval.Kind, Is.EqualTo(kind));
            Assert.That(approval.TemplateId, Is.EqualTo(templateId));
            Assert.That(approval.Status, Is.EqualTo(ApprovalStatus.Pending));
            Assert.That(approval.IsOpen, Is.True);
            Assert.That(approval.SubmittedAt, Is.EqualTo(Given.At(1)));
            Assert.That(approval.LastEventAt, Is.Null);
        }
    }

    [TestCase(ApprovalStatus.Pending, QuoteStatus.PendingApproval)]
    [TestCase(ApprovalStatus.Approved, QuoteStatus.Approved)]
    public void StartApproval_WhenPendingApprovalOrApproved_BreaksQuoteCanBeSubmittedOnlyFromDraftRejectedOrCancelled(
        ApprovalStatus current, QuoteStatus quoteStatus)
    {
        var quote = Given.ApprovalIn(current).Quote;
        var version = quote.Version;

        var rule = AssertBrokenRule<QuoteCanBeSubmittedOnlyFromDraftRejectedOrCancelledRule>(
            () => quote.StartApproval(ApprovalKind.System, Given.TemplateId, Given.At(5)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rule.Current, Is.EqualTo(quoteStatus));
            Assert.That(quote.Status, Is.EqualTo(quoteStatus));
            Assert.That(quote.Version, Is.EqualTo(version));
            Assert.That(quote.Approvals, Has.Count.EqualTo(1));
        }
    }

    [TestCase(ApprovalStatus.Rejected)]
    [TestCase(ApprovalStatus.Cancelled)]
    public void StartApproval_WhenRejectedOrCancelled_ResubmitsWithNewOpenApproval(ApprovalStatus ended)
    {
        var first = Given.ApprovalIn(ended);
        var quote = first.Quote;

        var second = quote.StartApproval(ApprovalKind.Open, templateId: null, Given.At(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(quote.Status, Is.EqualTo(QuoteStatus.PendingApproval));
            Assert.That(quote.ApprovalStatus, Is.EqualTo(ApprovalStatus.Pending));
            Assert.That(quote.Approvals, Is.EqualTo(new[] { first, second }));
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(second.Id, Is.Not.EqualTo(first.Id));
            Assert.That(second.ThirdNo, Is.EqualTo(quote.Number));
            Assert.That(second.Kind, Is.EqualTo(ApprovalKind.Open));
            Assert.That(second.IsOpen, Is.True);
            Assert.That(second.Status, Is.EqualTo(ApprovalStatus.Pending));
            Assert.That(first.Status, Is.EqualTo(ended));
            Assert.That(first.IsOpen, Is.False);
        }
    }

    [Test]
    public void Apply_WhenResubmittedApprovalIsApproved_QuoteFollowsIt()
    {
        var quote = Given.ApprovalIn(ApprovalStatus.Rejected).Quote;
        var second = quote.StartApproval(ApprovalKind.System, Given.TemplateId, Given.At(5));

        var transition = second.Quote.ApplyApprovalStatus(second, ApprovalStatus.Approved, Given.At(6), Given.At(6));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition, Is.EqualTo(ApprovalTransition.Applied));
            Assert.That(quote.Status, Is.EqualTo(QuoteStatus.Approved));
            Assert.That(quote.ApprovalStatus, Is.EqualTo(ApprovalStatus.Approved));
        }
    }

    [TestCase(ApprovalStatus.Rejected)]
    [TestCase(ApprovalStatus.Cancelled)]
    public void Apply_WhenEventIsForEarlierEndedApproval_IsStaleAndLeavesResubmittedQuote(
        ApprovalStatus ended)
    {
        var first = Given.ApprovalIn(ended);
        var quote = first.Quote;
        quote.StartApproval(ApprovalKind.System, Given.TemplateId, Given.At(5));

        var transition = first.Quote.ApplyApprovalStatus(first, ApprovalStatus.Approved, Given.At(6), Given.At(6));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(transition.Outcome, Is.EqualTo(TimelineOutcome.Stale));
            Assert.That(quote.Status, Is.EqualTo(QuoteStatus.PendingApproval));
            Assert.That(quote.ApprovalStatus, Is.EqualTo(ApprovalStatus.Pending));
        }
    }

    [Test]
    public void StartApproval_WhenDraftHasOpenApproval_BreaksQuoteCanHaveOnlyOneOpenApproval()
    {
        var quote = Given.NewQuote();

        quote.RequestApproval(Given.TemplateId, "zhangsan", Given.At(1)); // open, the quote still a draft until WeCom answers

        var rule = AssertBrokenRule<QuoteCanHaveOnlyOneOpenApprovalRule>(
            () => quote.StartApproval(ApprovalKind.System, Given.TemplateId, Given.At(1)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rule.HasOpenApproval, Is.True);
            Assert.That(quote.Status, Is.EqualTo(QuoteStatus.Draft));
            Assert.That(quote.ApprovalStatus, Is.Null);
            Assert.That(quote.Approvals, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void StartApproval_WhenRejectedQuoteHasOpenApproval_BreaksQuoteCanHaveOnlyOneOpenApproval()
    {
        var quote = Given.ApprovalIn(ApprovalStatus.Rejected).Quote;
        quote.RequestApproval(Given.TemplateId, "zhangsan", Given.At(4)); // resubmitted; WeCom has not answered yet

        AssertBrokenRule<QuoteCanHaveOnlyOneOpenApprovalRule>(
            () => quote.StartApproval(ApprovalKind.System, Given.TemplateId, Given.At(5)));

        Assert.That(quote.Status, Is.EqualTo(QuoteStatus.Rejected));
    }

    private static IEnumerable<decimal> AmountsOutOfRange() =>
        [0m, -0.01m, -1m, decimal.MinValue, Quote.MaxAmount + 0.01m, Quote.MaxAmount + 1m, decimal.MaxValue];

    private static IEnumerable<decimal> AmountsInRange() => [0.01m, 1m, Quote.MaxAmount];
}
