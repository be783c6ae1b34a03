namespace CrmIntegration.Api.Configuration;

/// <summary>
/// Keys that took whole seconds became TimeSpan durations with new names. A source that still sets an old key stops
/// start-up naming the new one, rather than being ignored while the default silently applies.
/// </summary>
internal static class RenamedSettings
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["WeCom:HttpTimeoutSeconds"] = "WeCom:HttpTimeout",
        ["WeCom:Callback:MaxClockSkewSeconds"] = "WeCom:Callback:MaxClockSkew",
        ["Notifications:BaseBackoffSeconds"] = "Notifications:BaseBackoff",
        ["Notifications:MaxBackoffSeconds"] = "Notifications:MaxBackoff",
        ["Notifications:LeaseSeconds"] = "Notifications:Lease",
        ["Notifications:PollIntervalSeconds"] = "Notifications:PollInterval",
        ["Notifications:RequestTimeoutSeconds"] = "Notifications:RequestTimeout",
        ["IntegrationCheck:TimeoutSeconds"] = "IntegrationCheck:Timeout",
        ["Authentication:Schemes:Bearer:ClockSkewSeconds"] = "Authentication:Schemes:Bearer:ClockSkew",
    };

    public static IConfiguration RefuseRenamedKeys(this IConfiguration configuration)
    {
        var set = Map.Where(r => configuration[r.Key] is not null).Select(r => $"{r.Key} is now {r.Value}").ToList();
        return set.Count == 0
            ? configuration
            : throw new InvalidOperationException(
                $"Renamed settings: {string.Join("; ", set)}. The new keys are durations written [d.]hh:mm:ss (30 seconds is 00:00:30).");
    }
}
