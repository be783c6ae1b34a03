using System.Globalization;
using System.Text;

namespace CrmIntegration.Infrastructure.Customers.MiniProgram;

/// <summary>
/// Fits a template value to its key's limit before sending (WeChat answers 47003 rather than truncating):
/// no newlines or control characters, cut by code point so no surrogate pair is split.
/// </summary>
internal static class SubscribeMessageValues
{
    public static string Fit(string key, string value)
    {
        var clean = Clean(value);
        return KindOf(key) switch
        {
            "thing" => Cut(clean, 20),
            "name" => Cut(clean, clean.All(c => c < 128) ? 20 : 10),
            "phrase" => Cut(clean, 5),
            "number" or "letter" or "character_string" => Cut(clean, 32),
            "symbol" => Cut(clean, 5),
            "phone_number" => Cut(clean, 17),
            "car_number" => Cut(clean, 8),
            _ => clean, // time, date, amount, enum: formats, not lengths; we write them ourselves
        };
    }

    /// <summary>"thing1" → "thing", "character_string12" → "character_string".</summary>
    internal static string KindOf(string key) => key.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');

    private static string Clean(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Format)
            {
                builder.Append(' ');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Cut(string value, int maxCodePoints)
    {
        var builder = new StringBuilder();
        var count = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (count == maxCodePoints)
            {
                break;
            }

            builder.Append(rune.ToString());
            count++;
        }

        return builder.ToString().TrimEnd();
    }
}
