using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.UnitTests.Support;

/// <summary>A migrated SQLite :memory: database that lives as long as this object; contexts share its connection.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string? _file;

    private TestDatabase(string? file)
    {
        _file = file;
        _connection = new SqliteConnection(file is null ? "Data Source=:memory:" : $"Data Source={file}");
    }

    public static TestDatabase Create() => Start(new TestDatabase(null));

    /// <summary>A temporary file: each context opens its own connection, so concurrent work is real.</summary>
    public static TestDatabase CreateFile() =>
        Start(new TestDatabase(Path.Combine(Path.GetTempPath(), $"crm-unit-{Guid.NewGuid():N}.db")));

    /// <summary>Added to every context made from now on (e.g. to count statements).</summary>
    public List<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor> Interceptors { get; } = [];

    public SqliteAppDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>().AddInterceptors(Interceptors);
        return new SqliteAppDbContext((_file is null
            ? options.UseSqlite(_connection, DatabaseSetup.SqliteOptions)
            : options.UseSqlite(_connection.ConnectionString, DatabaseSetup.SqliteOptions)).Options);
    }

    public void Dispose()
    {
        _connection.Dispose();
        if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            File.Delete(_file);
        }
    }

    private static TestDatabase Start(TestDatabase database)
    {
        database._connection.Open();
        using var db = database.NewContext();
        db.Database.Migrate();
        return database;
    }
}
