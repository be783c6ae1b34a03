namespace CrmIntegration.Api.Configuration;

/// <summary>
/// Keys that took whole seconds became TimeSpan durations with new names, and a few keys were replaced by others. A
/// source that still sets an old key stops start-up naming the new one, rather than being ignored while the default
/// silently applies.
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

    /// <summary>Keys replaced by one that means something else: the old value cannot simply be carried over.</summary>
    public static readonly IReadOnlyDictionary<string, string> Replaced = new Dictionary<string, string>
    {
        ["WeCom:Sync:MaxCallsPerMinute"] = "WeCom:CallBudget:PerMinute, the calls of all instances together (sync, "
                                           + "reconciliation and submissions), not of one instance's sync run",
    };

    public static IConfiguration RefuseRenamedKeys(this IConfiguration configuration)
    {
        var set = Map.Where(r => configuration[r.Key] is not null).Select(r => $"{r.Key} is now {r.Value}").ToList();
        var replaced = Replaced.Where(r => configuration[r.Key] is not null).Select(r => $"{r.Key} is now {r.Value}").ToList();
        if (set.Count == 0 && replaced.Count == 0)
        {
            return configuration;
        }

        var message = set.Count == 0
            ? ""
            : $"Renamed settings: {string.Join("; ", set)}. The new keys are durations written [d.]hh:mm:ss (30 seconds is 00:00:30). ";
        throw new InvalidOperationException(message + (replaced.Count == 0 ? "" : $"Replaced settings: {string.Join("; ", replaced)}."));
    }
}
