using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Infrastructure.Persistence;

public sealed class SqlServerAppDbContext(DbContextOptions<SqlServerAppDbContext> options) : AppDbContext(options);
