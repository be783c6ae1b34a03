using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Application.UnitTests.Approvals;

/// <summary>
/// SQLite's own inbox writer (ADR-30): one prepared INSERT … ON CONFLICT DO NOTHING per callback in one transaction.
/// What it answers must be what the provider-neutral writer answers, and its rows what SaveChanges writes.
/// </summary>
[TestFixture]
public sealed class SqliteInboxBatchWriterTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 30, 9, 30, 0, TimeSpan.FromHours(8));

    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.CreateFile();
        string connectionString;
        using (var db = _database.NewContext())
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        _services = new ServiceCollection()
            .AddScoped<AppDbContext>(_ => new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>()
                .UseSqlite(connectionString, DatabaseSetup.SqliteOptions).Options))
            .BuildServiceProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        _database.Dispose();
    }

    [Test]
    public async Task OnSqlite_TheProviderGetsItsOwnWriter_AndTheNeutralOneStaysAvailable()
    {
        await using var own = await InboxBatchWriters.ForProviderAsync(Scopes, CancellationToken.None);
        await using var neutral = await InboxBatchWriters.NeutralAsync(Scopes, CancellationToken.None);

        Assert.That(own, Is.InstanceOf<SqliteInboxBatchWriter>());
        Assert.That(neutral, Is.InstanceOf<InboxBatchWriter>());
    }

    [Test]
    public async Task ABatch_StoresEachNewKeyOnce_TwinsAndKeysStoredBefore_AreDuplicates()
    {
        await SaveWithEfAsync(Message("old"));
        var batch = new[] { Message("a"), Message("a"), Message("old"), Message("b") }.Select(m => new PendingCallback(m)).ToList();

        await using var writer = await InboxBatchWriters.ForProviderAsync(Scopes, CancellationToken.None);
        var stored = await writer.WriteAsync(batch, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.True);
            Assert.That(await Task.WhenAll(batch.Select(p => p.Receipt)), Is.EqualTo(new[]
            {
                CallbackReceipt.Stored, CallbackReceipt.Duplicate, CallbackReceipt.Duplicate, CallbackReceipt.Stored,
            }));
            Assert.That(await KeysAsync(), Is.EquivalentTo(new[] { "old", "a", "b" }));
        }
    }

    [Test]
    public async Task ABatchOfDuplicatesOnly_StoresNothing_AndSaysSo()
    {
        await SaveWithEfAsync(Message("old"));
        var batch = new[] { new PendingCallback(Message("old")), new PendingCallback(Message("old")) };

        await using var writer = await InboxBatchWriters.ForProviderAsync(Scopes, CancellationToken.None);

        Assert.That(await writer.WriteAsync(batch, CancellationToken.None), Is.False, "no work to signal");
        Assert.That(await Task.WhenAll(batch.Select(p => p.Receipt)), Is.All.EqualTo(CallbackReceipt.Duplicate));
    }

    [Test]
    public async Task ItsRows_AreTheRowsSaveChangesWrites_ColumnByColumn()
    {
        var raw = Message("raw", "<xml>同一</xml>");
        await using (var writer = await InboxBatchWriters.ForProviderAsync(Scopes, CancellationToken.None))
        {
            await writer.WriteAsync([new PendingCallback(raw)], CancellationToken.None);
        }

        await SaveWithEfAsync(Message("ef", "<xml>同一</xml>"));

        await using var db = _database.NewContext();
        var read = await db.Inbox.AsNoTracking().SingleAsync(m => m.EventKey == "raw");
        var due = await db.Inbox.AsNoTracking().Where(m => m.Status == InboxStatus.Received && m.ReceivedAt <= _now).CountAsync();
        var columns = await ColumnsAsync(db);
        var rawRow = await RowAsync(db, columns, "raw");
        var efRow = await RowAsync(db, columns, "ef");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Id, Is.EqualTo(raw.Id));
            Assert.That((read.MsgType, read.EventName, read.Payload, read.Status, read.Attempts), Is.EqualTo((raw.MsgType, raw.EventName, raw.Payload, raw.Status, raw.Attempts)));
            Assert.That(read.ReceivedAt, Is.EqualTo(raw.ReceivedAt));
            Assert.That(due, Is.EqualTo(2), "both found by the processor's own filter (status as text, received_at comparable)");
            string[] own = ["id", "event_key", "version"]; // each row's own values; stored as the same type
            foreach (var column in columns)
            {
                object? Seen((string Type, object? Value) cell) => own.Contains(column) ? cell.Type : cell;
                Assert.That(Seen(rawRow[column]), Is.EqualTo(Seen(efRow[column])), column);
            }

            Assert.That(rawRow["id"].Value, Is.EqualTo(raw.Id.ToString().ToUpperInvariant()), "id as EF writes a Guid");
        }
    }

    [Test]
    public async Task ARowTheDatabaseRefuses_RollsBackItsWholeBatch_AndANewWriterGoesOn()
    {
        await using (var db = _database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_marked BEFORE INSERT ON wecom_inbox WHEN NEW.payload LIKE '%REFUSE%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        }

        var batch = new[] { new PendingCallback(Message("good")), new PendingCallback(Message("bad", "<xml>REFUSE</xml>")) };
        await using (var writer = await InboxBatchWriters.ForProviderAsync(Scopes, CancellationToken.None))
        {
            var e = Assert.ThrowsAsync<SqliteException>(() => writer.WriteAsync(batch, CancellationToken.None));
            Assert.That(e!.SqliteErrorCode, Is.EqualTo(19), "SQLITE_CONSTRAINT from the trigger, not a unique violation");
        }

        Assert.That(batch.Select(p => p.Receipt.IsCompleted), Is.All.False, "nothing answered: the InboxWriter fails them");
        Assert.That(await KeysAsync(), Is.Empty, "the good row went with its batch");

        await using (var writer = await InboxBatchWriters.ForProviderAsync(Scopes, CancellationToken.None))
        {
            var again = new PendingCallback(Message("good"));
            await writer.WriteAsync([again], CancellationToken.None);
            Assert.That(await again.Receipt, Is.EqualTo(CallbackReceipt.Stored));
        }
    }

    private IServiceScopeFactory Scopes => _services.GetRequiredService<IServiceScopeFactory>();

    private static InboxMessage Message(string key, string? payload = null) =>
        InboxMessage.Receive(key, "event", "sys_approval_change", payload ?? $"<xml>{key}</xml>", _now);

    private async Task SaveWithEfAsync(InboxMessage message)
    {
        await using var db = _database.NewContext();
        db.Inbox.Add(message);
        await db.SaveChangesAsync();
    }

    private async Task<List<string>> KeysAsync()
    {
        await using var db = _database.NewContext();
        return await db.Inbox.Select(m => m.EventKey).ToListAsync();
    }

    private static async Task<List<string>> ColumnsAsync(AppDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('wecom_inbox')";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Each column's storage class and value as SQLite holds them.</summary>
    private static async Task<Dictionary<string, (string Type, object? Value)>> RowAsync(AppDbContext db, List<string> columns, string key)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT " + string.Join(", ", columns.Select(c => $"typeof(\"{c}\"), \"{c}\"")) + " FROM wecom_inbox WHERE event_key = $key";
        command.Parameters.Add(new SqliteParameter("$key", key));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, key);
        return columns.Select((c, i) => (c, (reader.GetString(2 * i), reader.IsDBNull((2 * i) + 1) ? null : reader.GetValue((2 * i) + 1))))
            .ToDictionary(x => x.c, x => x.Item2);
    }
}
