using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmIntegration.Infrastructure.SqlServerTests.TSql;

/// <summary>
/// EF interceptors that let a SQL Server context run its real code paths with no server: the connection is never
/// opened, no transaction reaches SqlClient, and every command is recorded (text and parameter count) and answered
/// here instead of executed: by <see cref="Rows"/> for a reader (no rows unless it says otherwise) and by
/// <see cref="Affected"/> for a non-query (0 unless it says otherwise).
/// </summary>
internal sealed class OfflineSqlServer : DbCommandInterceptor, IDbConnectionInterceptor, IDbTransactionInterceptor
{
    private readonly List<SentCommand> _sent = [];

    /// <summary>Rows to answer a query with; null is an empty result.</summary>
    public Func<DbCommand, DataTable?> Rows { get; set; } = _ => null;

    /// <summary>Rows a non-query (ExecuteUpdate, ExecuteDelete, raw SQL) reports it affected.</summary>
    public Func<DbCommand, int> Affected { get; set; } = _ => 0;

    /// <summary>Every command SQL Server would have received, in order.</summary>
    public IReadOnlyList<SentCommand> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public void Clear()
    {
        lock (_sent)
        {
            _sent.Clear();
        }
    }

    // A command of our own: SqlCommand would refuse the stand-in transaction below.
    public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result) =>
        InterceptionResult<DbCommand>.SuppressWithResult(new OfflineCommand());

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        InterceptionResult<DbDataReader>.SuppressWithResult(Answer(command));

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(Answer(command)));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        InterceptionResult<int>.SuppressWithResult(Count(command));

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult<int>.SuppressWithResult(Count(command)));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        InterceptionResult<object>.SuppressWithResult(Scalar(command));

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(InterceptionResult<object>.SuppressWithResult(Scalar(command)));

    InterceptionResult IDbConnectionInterceptor.ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    ValueTask<InterceptionResult> IDbConnectionInterceptor.ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    InterceptionResult IDbConnectionInterceptor.ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    ValueTask<InterceptionResult> IDbConnectionInterceptor.ConnectionClosingAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    InterceptionResult<DbTransaction> IDbTransactionInterceptor.TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result) =>
        InterceptionResult<DbTransaction>.SuppressWithResult(new OfflineTransaction(connection, eventData.IsolationLevel));

    ValueTask<InterceptionResult<DbTransaction>> IDbTransactionInterceptor.TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InterceptionResult<DbTransaction>.SuppressWithResult(new OfflineTransaction(connection, eventData.IsolationLevel)));

    InterceptionResult IDbTransactionInterceptor.TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    ValueTask<InterceptionResult> IDbTransactionInterceptor.TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    InterceptionResult IDbTransactionInterceptor.TransactionRollingBack(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    ValueTask<InterceptionResult> IDbTransactionInterceptor.TransactionRollingBackAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InterceptionResult.Suppress());

    private DbDataReader Answer(DbCommand command)
    {
        Record(command);
        return (Rows(command) ?? new DataTable()).CreateDataReader();
    }

    private int Count(DbCommand command)
    {
        Record(command);
        return Affected(command);
    }

    private object Scalar(DbCommand command)
    {
        Record(command);
        return DBNull.Value;
    }

    private void Record(DbCommand command)
    {
        lock (_sent)
        {
            _sent.Add(new SentCommand(command.CommandText, command.Parameters.Count, [.. command.Parameters.Cast<DbParameter>().Select(p => p.Value)]));
        }
    }

    private sealed class OfflineCommand : DbCommand
    {
        private readonly SqlCommand _parameters = new(); // SqlParameters, as the provider's type mappings expect

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; }

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection { get; set; }

        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override int ExecuteNonQuery() => throw NotSent();

        public override object? ExecuteScalar() => throw NotSent();

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => _parameters.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw NotSent();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _parameters.Dispose();
            }

            base.Dispose(disposing);
        }

        private static InvalidOperationException NotSent() => new("Offline: the interceptor answers every command.");
    }

    private sealed class OfflineTransaction(DbConnection connection, IsolationLevel isolationLevel) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }
}

/// <summary>One command as SQL Server would have received it.</summary>
internal sealed record SentCommand(string Text, int ParameterCount, IReadOnlyList<object?> ParameterValues)
{
    public override string ToString() => Text;
}
