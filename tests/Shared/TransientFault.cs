using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmIntegration.Tests.Shared;

public enum FaultAt
{
    /// <summary>The table's INSERT fails: the transaction rolls back and the unit runs again.</summary>
    Insert,

    /// <summary>The commit fails before it is made: as above.</summary>
    Commit,

    /// <summary>The commit is made but reported failing: the outcome looks unknown, and is checked before anything is redone.</summary>
    AfterCommit,
}

/// <summary>SQLITE_BUSY, once, in the first transaction that writes the armed table.</summary>
internal sealed class TransientFault : DbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly ConcurrentDictionary<DbTransaction, bool> _writing = new();
    private string? _table;
    private FaultAt _at;
    private int _failures;

    public int Failures => _failures;

    public void Arm(string table, FaultAt at) => (_table, _at) = (table, at);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Writing(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Writing(command);
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (_at == FaultAt.Commit && _writing.TryRemove(transaction, out _))
        {
            Fail();
        }

        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (_at == FaultAt.AfterCommit && _writing.TryRemove(transaction, out _))
        {
            Fail();
        }

        return Task.CompletedTask;
    }

    private void Writing(DbCommand command)
    {
        if (_table is null || _failures > 0 || command.Transaction is null
            || !command.CommandText.Contains($"INSERT INTO \"{_table}\"", StringComparison.Ordinal))
        {
            return;
        }

        if (_at == FaultAt.Insert)
        {
            Fail();
        }

        _writing[command.Transaction] = true;
    }

    private void Fail()
    {
        Interlocked.Increment(ref _failures);
        throw new SqliteException("database is locked (injected)", 5);
    }
}
