using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Domain.UnitTests.Approvals;

public sealed class QuoteNumberTests
{
    private static readonly DateOnly Day = new(2026, 11, 22);
    private const string Stem = "CIS-20261122-";

    [TestCase(1, "CIS-20261122-0001")]
    [TestCase(42, "CIS-20261122-0042")]
    [TestCase(9999, "CIS-20261122-9999")]
    [TestCase(10000, "CIS-20261122-10000")]
    [TestCase(123456, "CIS-20261122-123456")]
    public void Format_WhenGivenSequence_PadsToAtLeastFourDigits(int sequence, string expected)
    {
        Assert.That(QuoteNumber.Format(QuoteNumber.DefaultPrefix, Day, sequence), Is.EqualTo(expected));
    }

    [Test]
    public void Format_WhenDayHasSingleDigitMonthAndDay_PadsThem()
    {
        Assert.That(QuoteNumber.Format("Q", new DateOnly(2027, 1, 5), 7), Is.EqualTo("Q-20270105-0007"));
    }

    [Test]
    public void DayStem_WhenGivenPrefixAndDay_EndsWithDash()
    {
        Assert.That(QuoteNumber.DayStem(QuoteNumber.DefaultPrefix, Day), Is.EqualTo(Stem));
    }

    [Test]
    public void DayStem_WhenCultureUsesOtherCalendar_StillUsesGregorianDigits()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("th-TH");
            Assert.That(QuoteNumber.DayStem(QuoteNumber.DefaultPrefix, Day), Is.EqualTo(Stem));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [TestCase(1)]
    [TestCase(9999)]
    [TestCase(10000)]
    [TestCase(99999)]
    [TestCase(123456789)]
    public void SequenceOf_WhenNumberWasFormattedUnderStem_ReturnsSequence(int sequence)
    {
        var number = QuoteNumber.Format(QuoteNumber.DefaultPrefix, Day, sequence);

        Assert.That(QuoteNumber.SequenceOf(number, Stem), Is.EqualTo(sequence));
    }

    [TestCase("CIS-20261121-0007")]
    [TestCase("CIS-20261123-0007")]
    [TestCase("ABC-20261122-0007")]
    [TestCase("cis-20261122-0007")]
    [TestCase("XCIS-20261122-0007")]
    [TestCase(" CIS-20261122-0007")]
    [TestCase("CIS-20261122-")]
    [TestCase("CIS-20261122")]
    [TestCase("")]
    [TestCase("CIS-20261122-00a7")]
    [TestCase("CIS-20261122-0007 ")]
    [TestCase("CIS-20261122- 0007")]
    [TestCase("CIS-20261122-+0007")]
    [TestCase("CIS-20261122--0007")]
    [TestCase("CIS-20261122-0007-2")]
    [TestCase("CIS-20261122-99999999999")]
    [TestCase("some other approval")]
    public void SequenceOf_WhenNumberIsForeign_ReturnsZero(string number)
    {
        Assert.That(QuoteNumber.SequenceOf(number, Stem), Is.Zero);
    }

    [TestCase("CIS")]
    [TestCase("A")]
    [TestCase("Q2")]
    [TestCase("ABCDEFGHIJKLMNOP")]
    public void IsValidPrefix_WhenUpperCaseLetterThenUpToFifteenLettersOrDigits_ReturnsTrue(string prefix)
    {
        Assert.That(QuoteNumber.IsValidPrefix(prefix), Is.True);
    }

    [TestCase("")]
    [TestCase("cis")]
    [TestCase("Cis")]
    [TestCase("1CIS")]
    [TestCase("CI-S")]
    [TestCase("CIS-")]
    [TestCase(" CIS")]
    [TestCase("CIS ")]
    [TestCase("ABCDEFGHIJKLMNOPQ")]
    [TestCase("ÄBC")]
    public void IsValidPrefix_WhenNotUpperCaseLetterThenUpToFifteenLettersOrDigits_ReturnsFalse(string prefix)
    {
        Assert.That(QuoteNumber.IsValidPrefix(prefix), Is.False);
    }

    [TestCase("CIS-20261122-0001")]
    [TestCase("CIS-20261122-10000")]
    [TestCase("CIS-20261122-123456789")]
    [TestCase("Q-20270105-0007")]
    [TestCase("ABCDEFGHIJKLMNOP-20261122-0001")]
    public void LooksLikeQuoteNumber_WhenPrefixDateAndSequence_ReturnsTrue(string value)
    {
        Assert.That(QuoteNumber.LooksLikeQuoteNumber(value), Is.True);
    }

    [TestCase("")]
    [TestCase("CIS")]
    [TestCase("CIS-20261122-")]
    [TestCase("CIS-20261122-001")]
    [TestCase("CIS-20261122-1234567890")]
    [TestCase("CIS-2026112-0001")]
    [TestCase("CIS-202611220-0001")]
    [TestCase("CIS20261122-0001")]
    [TestCase("CIS-20261122_0001")]
    [TestCase("cis-20261122-0001")]
    [TestCase("1CIS-20261122-0001")]
    [TestCase(" CIS-20261122-0001")]
    [TestCase("CIS-20261122-0001 ")]
    [TestCase("ABCDEFGHIJKLMNOPQ-20261122-0001")]
    [TestCase("202611220001")]
    public void LooksLikeQuoteNumber_WhenNotPrefixDateAndSequence_ReturnsFalse(string value)
    {
        Assert.That(QuoteNumber.LooksLikeQuoteNumber(value), Is.False);
    }

    [TestCase(1)]
    [TestCase(10000)]
    public void LooksLikeQuoteNumber_WhenFormatted_ReturnsTrue(int sequence)
    {
        Assert.That(QuoteNumber.LooksLikeQuoteNumber(QuoteNumber.Format("CRM7", Day, sequence)), Is.True);
    }
}
