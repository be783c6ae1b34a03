using System.ComponentModel.DataAnnotations;
using CrmIntegration.Domain.Approvals;

namespace CrmIntegration.Application.Approvals;

public sealed class QuotesOptions
{
    public const string Section = "Quotes";

    /// <summary>Quote numbers read {NumberPrefix}-yyyyMMdd-NNNN.</summary>
    [RegularExpression("^[A-Z][A-Z0-9]{0,15}$", ErrorMessage = "Quotes:NumberPrefix must be 1-16 capital letters or digits, starting with a letter.")]
    public string NumberPrefix { get; set; } = QuoteNumber.DefaultPrefix;

    [Range(1, 500)]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>The day in a quote number is the local day at this offset from UTC (China Standard Time by default).</summary>
    public TimeSpan NumberUtcOffset { get; set; } = TimeSpan.FromHours(8);
}
