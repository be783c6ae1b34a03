namespace CrmIntegration.Application.Customers.NotifyEmployee;

/// <summary>Wakes this instance's notification dispatcher after a save queued a notification.</summary>
public interface INotificationSignal
{
    void Notify();
}
