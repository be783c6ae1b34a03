using System.Diagnostics;
using CrmIntegration.Application.Common.Interfaces;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>
/// SQLite's one writer, taken in turn within the process (first come, first served) rather than through SQLite's
/// sleeping busy handler. Only writers that enter take turns here; any other still waits in the busy handler, and the
/// database's own lock is what keeps writes apart either way. A turn not given within SQLite's busy timeout is taken
/// anyway, leaving the wait to SQLite, so a stuck writer cannot hold up the others for longer than SQLite would.
/// Acknowledgements go first (ADR-28): a claim of background work waits while acknowledgements are being written or
/// were within <c>idleGap</c>, for at most <c>maxDefer</c>, so a callback's answer rarely waits for a processing batch
/// and processing still gets the writer at least every <c>maxDefer</c>. A processing batch holding the writer ends its
/// transaction after the event in hand when an acknowledgement starts waiting (<see cref="AcknowledgementsWaiting"/>),
/// so an acknowledgement waits for at most one event's work and a commit, not a whole batch.
/// </summary>
internal sealed class SqliteWriteGate(TimeSpan idleGap, TimeSpan maxDefer) : IDatabaseWriteGate
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(SqliteConnectionPragmas.Milliseconds);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _acknowledging;
    private long _lastAcknowledgedAt = long.MinValue / 2; // Stopwatch timestamp

    public SqliteWriteGate()
        : this(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(15))
    {
    }

    public bool AcknowledgementsWaiting => Volatile.Read(ref _acknowledging) > 0;

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken) =>
        await _turn.WaitAsync(MaxWait, cancellationToken) ? new Turn(_turn, null) : Turn.NotTaken;

    public async ValueTask<IDisposable> EnterToAcknowledgeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _acknowledging);
        try
        {
            return await _turn.WaitAsync(MaxWait, cancellationToken) ? new Turn(_turn, this) : Turn.NotTaken;
        }
        finally
        {
            Interlocked.Decrement(ref _acknowledging);
        }
    }

    public async ValueTask<IDisposable> EnterWhenAcknowledgementsPauseAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < maxDefer
               && (Volatile.Read(ref _acknowledging) > 0 || Stopwatch.GetElapsedTime(Volatile.Read(ref _lastAcknowledgedAt)) < idleGap))
        {
            await Task.Delay(1, cancellationToken);
        }

        return await EnterAsync(cancellationToken);
    }

    private sealed class Turn(SemaphoreSlim? turn, SqliteWriteGate? acknowledging) : IDisposable
    {
        public static readonly Turn NotTaken = new(null, null);

        private SemaphoreSlim? _turn = turn;

        public void Dispose()
        {
            if (acknowledging is not null)
            {
                Volatile.Write(ref acknowledging._lastAcknowledgedAt, Stopwatch.GetTimestamp());
            }

            Interlocked.Exchange(ref _turn, null)?.Release();
        }
    }
}

/// <summary>SQL Server locks rows: its writers need no turns.</summary>
internal sealed class NoWriteGate : IDatabaseWriteGate
{
    private static readonly ValueTask<IDisposable> Entered = ValueTask.FromResult<IDisposable>(new Nothing());

    public bool AcknowledgementsWaiting => false;

    public ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken) => Entered;

    public ValueTask<IDisposable> EnterToAcknowledgeAsync(CancellationToken cancellationToken) => Entered;

    public ValueTask<IDisposable> EnterWhenAcknowledgementsPauseAsync(CancellationToken cancellationToken) => Entered;

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
