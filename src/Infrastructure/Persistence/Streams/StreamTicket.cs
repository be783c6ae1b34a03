namespace CrmIntegration.Infrastructure.Persistence.Streams;

/// <summary>
/// A short-lived ticket that opens the quote event stream from a browser (EventSource cannot send an
/// Authorization header). Only its SHA-256 is stored; every instance can check it.
/// </summary>
internal sealed class StreamTicket
{
    public const int HashLength = 64;
    public const int SubjectMaxLength = 200;

    private StreamTicket()
    {
    } // EF

    public string Hash { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public DateTimeOffset ExpiresAt { get; private set; }

    public static StreamTicket Issue(string hash, string subject, DateTimeOffset expiresAt) =>
        new() { Hash = hash, Subject = subject.Length <= SubjectMaxLength ? subject : subject[..SubjectMaxLength], ExpiresAt = expiresAt };
}
