namespace CrmIntegration.Infrastructure.Persistence;

/// <summary>The database behind the service (Database:Provider).</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
