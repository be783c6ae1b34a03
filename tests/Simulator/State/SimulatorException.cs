namespace CrmIntegration.Simulator.State;

/// <summary>A control operation that cannot be done: 404 for an unknown form, 409 for a forbidden transition.</summary>
public sealed class SimulatorException(string message, int statusCode) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
