namespace CrmIntegration.Domain.Common;

public static class Text
{
    /// <summary><paramref name="value"/> cut to at most <paramref name="max"/> characters (what its column holds).</summary>
    public static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
