using CrmIntegration.Application.Common.Interfaces;

namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>
/// SQLite's one writer, taken in turn within the process (first come, first served) rather than through SQLite's
/// sleeping busy handler. Only writers that enter take turns here; any other still waits in the busy handler, and the
/// database's own lock is what keeps writes apart either way. A turn not given within SQLite's busy timeout is taken
/// anyway, leaving the wait to SQLite, so a stuck writer cannot hold up the others for longer than SQLite would.
/// </summary>
internal sealed class SqliteWriteGate : IDatabaseWriteGate
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(SqliteBusyTimeout.Milliseconds);

    private readonly SemaphoreSlim _turn = new(1, 1);

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken) =>
        await _turn.WaitAsync(MaxWait, cancellationToken) ? new Turn(_turn) : Turn.NotTaken;

    private sealed class Turn(SemaphoreSlim? turn) : IDisposable
    {
        public static readonly Turn NotTaken = new(null);

        private SemaphoreSlim? _turn = turn;

        public void Dispose() => Interlocked.Exchange(ref _turn, null)?.Release();
    }
}

/// <summary>SQL Server locks rows: its writers need no turns.</summary>
internal sealed class NoWriteGate : IDatabaseWriteGate
{
    private static readonly ValueTask<IDisposable> Entered = ValueTask.FromResult<IDisposable>(new Nothing());

    public ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken) => Entered;

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
