using CrmIntegration.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Common.Persistence;

/// <summary>
/// The one way a transaction is opened (ADR-26): the database's execution strategy runs the whole unit of work (its
/// reads, its writes and the commit) and, after a transient failure (a SQL Server deadlock victim or broken
/// connection, SQLite still busy past its timeout), runs it again from the start. The change tracker is cleared before
/// every attempt, so the work reads what it needs inside and has no effect outside the database (events, signals,
/// answers) until this returns.
/// </summary>
public static class RetriableTransaction
{
    /// <param name="committed">
    /// Asked only when the commit itself failed transiently and its outcome is unknown (the connection broke while its
    /// answer was on the way): true when the attempt's writes are in the database, so they are not made a second time
    /// and that attempt's result is returned.
    /// </param>
    public static Task<T> InTransactionAsync<T>(
        this IAppDbContext db, Func<CancellationToken, Task<T>> work, Func<CancellationToken, Task<bool>> committed, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteInTransactionAsync(
            async token =>
            {
                db.ChangeTracker.Clear();
                return await work(token);
            },
            committed,
            ct);

    /// <summary>For work that is harmless to run again after a commit whose outcome is unknown.</summary>
    public static Task<T> InTransactionAsync<T>(this IAppDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        db.InTransactionAsync(work, _ => Task.FromResult(false), ct);

    /// <inheritdoc cref="InTransactionAsync{T}(IAppDbContext, Func{CancellationToken, Task{T}}, CancellationToken)"/>
    public static Task InTransactionAsync(this IAppDbContext db, Func<CancellationToken, Task> work, CancellationToken ct) =>
        db.InTransactionAsync(
            async token =>
            {
                await work(token);
                return true;
            },
            ct);
}
