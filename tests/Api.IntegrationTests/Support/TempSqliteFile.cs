using Microsoft.Data.Sqlite;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>A SQLite file under the temp folder, removed (with its WAL files) on dispose.</summary>
public sealed class TempSqliteFile(string prefix) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
