namespace CrmIntegration.Simulator.State;

/// <summary>One attempt (or decision not to attempt) to deliver a callback. <see cref="Message"/> is the plaintext XML.</summary>
public sealed record CallbackDelivery(
    long Sequence,
    string Event,
    string Key,
    CallbackOutcome Outcome,
    int Attempt,
    int? StatusCode,
    string? ResponseBody,
    string? Error,
    DateTimeOffset At,
    string Message);
