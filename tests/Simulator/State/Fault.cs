namespace CrmIntegration.Simulator.State;

/// <summary>
/// What the next call to an API path answers instead of the normal result. <see cref="DelayMilliseconds"/> alone
/// makes the call slow but correct; <see cref="AfterProcessing"/> performs the call first and then loses the
/// answer (an applyevent whose response never arrives).
/// </summary>
public sealed record Fault(
    int? ErrCode = null,
    int? HttpStatus = null,
    bool Hang = false,
    int DelayMilliseconds = 0,
    bool AfterProcessing = false)
{
    public static Fault Error(int errCode) => new(ErrCode: errCode);

    public static Fault Http(int status = 500) => new(HttpStatus: status);

    /// <summary>No answer until the client gives up (or the simulator's hang limit).</summary>
    public static Fault Timeout() => new(Hang: true);

    public static Fault Slow(int milliseconds) => new(DelayMilliseconds: milliseconds);

    internal bool FailsTheCall => ErrCode is not null || HttpStatus is not null || Hang;
}
