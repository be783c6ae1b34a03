namespace CrmIntegration.Domain.Common;

/// <summary>
/// How a piece of background work is retried: exponential backoff from <see cref="FirstDelay"/>, doubling per attempt,
/// capped at <see cref="MaxDelay"/>, spread ±20 % by jitter so a crowd of failures does not come back at once; after
/// <see cref="MaxAttempts"/> attempts it gives up (the item ends dead/failed with its reason).
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    /// <summary>
    /// When to try again after <paramref name="attempts"/> attempts, or null when they are used up.
    /// <paramref name="jitter"/> is a number in [0, 1) (the caller's random source, so tests can fix it).
    /// </summary>
    public DateTimeOffset? NextAttemptAt(int attempts, DateTimeOffset now, double jitter)
    {
        if (attempts >= MaxAttempts)
        {
            return null;
        }

        var seconds = Math.Min(MaxDelay.TotalSeconds, FirstDelay.TotalSeconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        return now + TimeSpan.FromSeconds(seconds * (0.8 + (Math.Clamp(jitter, 0, 1) * 0.4)));
    }
}
