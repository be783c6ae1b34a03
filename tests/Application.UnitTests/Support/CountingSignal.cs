using CrmIntegration.Application.Customers.NotifyEmployee;

namespace CrmIntegration.Application.UnitTests.Support;

public sealed class CountingSignal : INotificationSignal
{
    private int _count;

    public int Count => _count;

    public void Notify() => Interlocked.Increment(ref _count);
}
