namespace CrmIntegration.Application.Common.Work;

/// <summary>Wakes this instance's worker of a queue at once (others find the work when they poll).</summary>
public interface IWorkSignals
{
    void Notify(WorkKind kind);
}
