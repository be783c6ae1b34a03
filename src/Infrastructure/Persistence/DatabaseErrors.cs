using CrmIntegration.Application.Common.Interfaces;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Infrastructure.Persistence;

internal sealed class DatabaseErrors : IDatabaseErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqlServerDuplicateKeyRow = 2601;
    private const int SqlServerUniqueConstraint = 2627;

    public bool IsUniqueViolation(DbUpdateException exception) => IsUniqueViolationOf(exception.InnerException);

    /// <summary>Also for raw commands (<c>ExecuteSqlRaw</c>), which throw the provider's exception itself.</summary>
    internal static bool IsUniqueViolationOf(Exception? exception) => exception switch
    {
        SqliteException e => e.SqliteErrorCode == SqliteConstraint
                             && e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        SqlException e => e.Number is SqlServerDuplicateKeyRow or SqlServerUniqueConstraint,
        DbUpdateException e => IsUniqueViolationOf(e.InnerException),
        _ => false,
    };
}
