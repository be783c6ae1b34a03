using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Domain.UnitTests.Support;

/// <summary>Quotes and approvals in a given state, on a fixed clock.</summary>
internal static class Given
{
    public const string Number = "CIS-20261122-0001";
    public const string TemplateId = "3Tka1eD6v6JfzhDMqPd3aMkFdxqtJMc2ZRioeFXk";

    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(8));

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static Quote NewQuote(decimal amount = 1_000m) =>
        Quote.Create(Number, "Annual licence", "Acme Ltd", amount, "cny", T0);

    /// <summary>A started approval (at minute 1) moved to <paramref name="status"/> by an event at minute 2.</summary>
    public static ApprovalInstance ApprovalIn(ApprovalStatus status)
    {
        var approval = NewQuote().StartApproval(ApprovalKind.System, TemplateId, At(1));
        if (status != ApprovalStatus.Pending)
        {
            var transition = approval.Quote.ApplyApprovalStatus(approval, status, At(2), At(2));
            Assert.That(transition, Is.EqualTo(ApprovalTransition.Applied), $"Arrange: could not reach {status}.");
        }

        return approval;
    }
}
