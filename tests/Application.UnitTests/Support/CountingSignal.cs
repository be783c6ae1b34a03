using CrmIntegration.Application.Common.Work;

namespace CrmIntegration.Application.UnitTests.Support;

/// <summary>Counts wake-ups of the notification queue.</summary>
public sealed class CountingSignal : IWorkSignals
{
    private int _count;

    public int Count => _count;

    public void Notify(WorkKind kind)
    {
        if (kind == WorkKind.EmployeeNotifications)
        {
            Interlocked.Increment(ref _count);
        }
    }
}
