using System.Globalization;
using System.Text.RegularExpressions;

namespace CrmIntegration.Domain.Approvals;

/// <summary>Quote numbers: <c>{prefix}-yyyyMMdd-NNNN</c>, e.g. CIS-20261122-0001. They travel to WeCom as third_no.</summary>
public static partial class QuoteNumber
{
    public const string DefaultPrefix = "CIS";
    public const int MaxLength = 40;

    public static bool IsValidPrefix(string prefix) => PrefixPattern().IsMatch(prefix);

    /// <summary>The part shared by every number issued on <paramref name="day"/>: "CIS-20261122-".</summary>
    public static string DayStem(string prefix, DateOnly day) =>
        $"{prefix}-{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-";

    public static string Format(string prefix, DateOnly day, int sequence) =>
        DayStem(prefix, day) + sequence.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The sequence of a number issued under <paramref name="stem"/>, or 0 if it is not one.</summary>
    public static int SequenceOf(string number, string stem) =>
        number.StartsWith(stem, StringComparison.Ordinal)
        && int.TryParse(number.AsSpan(stem.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : 0;

    public static bool LooksLikeQuoteNumber(string value) => NumberPattern().IsMatch(value);

    [GeneratedRegex(@"^[A-Z][A-Z0-9]{0,15}\z")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^[A-Z][A-Z0-9]{0,15}-[0-9]{8}-[0-9]{4,9}\z")]
    private static partial Regex NumberPattern();
}
