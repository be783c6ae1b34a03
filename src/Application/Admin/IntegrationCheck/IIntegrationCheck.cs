namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>
/// One live check of a partner integration (Infrastructure implements them; they run in registration order).
/// A check answers its own failures as results; the runner turns a timeout or an exception into one.
/// </summary>
public interface IIntegrationCheck
{
    string Name { get; }

    /// <summary>The check that must be ok (or a warning) for this one to run; otherwise this one is skipped.</summary>
    string? DependsOn { get; }

    Task<IntegrationCheckResult> RunAsync(CancellationToken cancellationToken);
}
