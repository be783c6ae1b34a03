using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmIntegration.Application.UnitTests.Persistence;

/// <summary>
/// ADR-29: no commit of the service copies the write-ahead log into the database file (by default the commit that
/// crosses 1,000 log pages does, inside its own latency); the background checkpointer does, beside the writers.
/// </summary>
[TestFixture]
public sealed class SqliteCheckpointerTests
{
    private string _file = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public async Task SetUp()
    {
        _file = Path.Combine(Path.GetTempPath(), $"crm-checkpoint-{Guid.NewGuid():N}.db");
        _services = new ServiceCollection()
            .AddScoped<AppDbContext>(_ => new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>()
                .UseSqlite($"Data Source={_file}", DatabaseSetup.SqliteOptions)
                .AddInterceptors(new SqliteConnectionPragmas()).Options))
            .BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task CommitsPastAThousandLogPages_LeaveTheLogWhole_AndOnePass_CopiesAllOfIt()
    {
        // 40 commits of 25 callbacks of 8 KB: about 2,000 pages of 4 KB in the log, over the default threshold twice.
        var payload = new string('x', 8 * 1024);
        var received = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        for (var commit = 0; commit < 40; commit++)
        {
            await using var scope = _services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Inbox.AddRange(Enumerable.Range(0, 25).Select(i => InboxMessage.Receive($"k-{commit}-{i}", "event", null, payload, received)));
            await db.SaveChangesAsync();
        }

        var checkpointer = new SqliteCheckpointer(_services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
            NullLogger<SqliteCheckpointer>.Instance);
        var (logged, checkpointed) = await checkpointer.CheckpointAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(logged, Is.GreaterThan(1_500), "no commit checkpointed (and restarted) the log on its own");
            Assert.That(checkpointed, Is.EqualTo(logged), "with no reader holding an old snapshot, the pass copies every page");
        }

        await using var check = _services.CreateAsyncScope();
        var after = check.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.That(await after.Inbox.CountAsync(), Is.EqualTo(1_000));
    }
}
