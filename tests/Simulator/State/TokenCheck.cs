namespace CrmIntegration.Simulator.State;

internal enum TokenCheck
{
    Valid,
    Missing,
    Unknown,
    Expired,
    Superseded,
}
