using System.Text.Json;

namespace CrmIntegration.Application.Common.Models;

/// <summary>Enum values as the API spells them: PendingApproval ↔ "pending_approval".</summary>
public static class SnakeCaseEnum
{
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>For value converters: the stored word back to the value (throws on an unknown word).</summary>
    public static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(TEnum).Name}.");

    public static string Names<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetValues<TEnum>().Select(Name));
}
