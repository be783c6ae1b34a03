namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>Section "Database" (the connection string is ConnectionStrings:Crm).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "Crm";
    public const string DefaultSqliteConnectionString = "Data Source=data/crm.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQL Server only: apply pending migrations at start-up (SQLite always does).</summary>
    public bool MigrateOnStartup { get; set; }
}
