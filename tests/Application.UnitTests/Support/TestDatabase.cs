using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.UnitTests.Support;

/// <summary>A migrated SQLite :memory: database that lives as long as this object; contexts share its connection.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    private TestDatabase()
    {
    }

    public static TestDatabase Create()
    {
        var database = new TestDatabase();
        database._connection.Open();
        using var db = database.NewContext();
        db.Database.Migrate();
        return database;
    }

    public SqliteAppDbContext NewContext() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite(_connection, DatabaseSetup.SqliteOptions).Options);

    public void Dispose() => _connection.Dispose();
}
