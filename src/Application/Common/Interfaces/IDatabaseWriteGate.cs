namespace CrmIntegration.Application.Common.Interfaces;

/// <summary>
/// Where this process's busy writers of the database take turns before they take its write lock. On SQLite, whose
/// one writer makes a second wait in its busy handler (sleeping 1, 2, 5 … 100 ms between tries, so a wait ends up to a
/// step after the lock was free), the inbox writer and the callback processor hand the database to each other here,
/// at once. On SQL Server, which locks rows, entering costs nothing and waits for no one.
/// </summary>
public interface IDatabaseWriteGate
{
    /// <summary>Waits for this process's turn to write; disposing the answer ends it.</summary>
    ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken);

    /// <summary>As <see cref="EnterAsync"/>, for a write someone is waiting on (acknowledged callbacks): marks the writer busy.</summary>
    ValueTask<IDisposable> EnterToAcknowledgeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="EnterAsync"/>, for background work not yet started (a claim): waits first while acknowledgements
    /// are being written, up to a bound, so callers waiting on an answer go first and the work still gets its turn.
    /// </summary>
    ValueTask<IDisposable> EnterWhenAcknowledgementsPauseAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True while acknowledgements wait for the turn someone holds: background work holding it ends its transaction at
    /// the next boundary that keeps its units whole and hands the turn over. Always false where writers take no turns.
    /// </summary>
    bool AcknowledgementsWaiting { get; }
}
