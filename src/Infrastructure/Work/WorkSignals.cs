using CrmIntegration.Application.Common.Work;
using CrmIntegration.Infrastructure.Common;

namespace CrmIntegration.Infrastructure.Work;

/// <summary>One wake-up signal per queue in this process; the workers poll as well, for work stored by other instances.</summary>
internal sealed class WorkSignals : IWorkSignals
{
    private readonly Dictionary<WorkKind, WorkSignal> _signals = Enum.GetValues<WorkKind>().ToDictionary(k => k, _ => new WorkSignal());

    public void Notify(WorkKind kind) => _signals[kind].Notify();

    public WorkSignal For(WorkKind kind) => _signals[kind];
}
