namespace CrmIntegration.Simulator.State;

public enum CallbackOutcome
{
    /// <summary>HTTP 200 (the body is recorded: it should be "success").</summary>
    Delivered,

    /// <summary>Answered with a status other than 200.</summary>
    Rejected,

    /// <summary>No answer: connection error or timeout.</summary>
    Failed,

    /// <summary>Swallowed by the drop switch.</summary>
    Dropped,

    /// <summary>Held back by the reorder switch; delivered after the next callback.</summary>
    Held,
}
