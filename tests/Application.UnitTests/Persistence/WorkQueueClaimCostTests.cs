using System.Data.Common;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Application.UnitTests.Persistence;

/// <summary>
/// ADR-29: a claim costs its batch, not the backlog. With the claim's update re-testing the due condition, SQLite walked
/// every waiting row by status, and it sorted them all by arrival: ~50 ms at 20,000 waiting callbacks, while holding
/// the one writer that acknowledgements wait for. Each statement the claim sends is checked with SQLite's own planner.
/// </summary>
[TestFixture]
public sealed class WorkQueueClaimCostTests
{
    [Test]
    public async Task AClaim_With5000CallbacksWaiting_ReachesItsBatchThroughIndexes_WithoutSortingOrWalkingTheBacklog()
    {
        using var database = TestDatabase.CreateFile();
        using var services = new TestServices(database);
        var now = services.Clock.GetUtcNow();
        await using (var db = database.NewContext())
        {
            db.Inbox.AddRange(Enumerable.Range(0, 5_000).Select(i =>
                InboxMessage.Receive($"key-{i}", "event", null, "<xml/>", now.AddMinutes(-10).AddMilliseconds(i))));
            await db.SaveChangesAsync();
        }

        var sent = new SentCommands();
        database.Interceptors.Add(sent);
        var batch = await services.InScopeAsync(sp => sp.GetRequiredService<IWorkQueue<InboxMessage>>().ClaimAsync(
            m => m.Status == InboxStatus.Received && m.NextAttemptAt <= now, m => m.ReceivedAt, 20, TimeSpan.FromSeconds(30), CancellationToken.None));
        database.Interceptors.Remove(sent);

        await using var connection = new SqliteConnection(database.NewContext().Database.GetConnectionString());
        await connection.OpenAsync();
        var plans = new List<string>();
        foreach (var (text, parameters) in sent.Commands)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + text;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            await using var reader = await explain.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(3));
            }

            plans.Add($"{text}\n  => {string.Join(" | ", lines)}");
        }

        var all = string.Join("\n", plans);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(batch.Items.Select(m => m.EventKey), Is.EqualTo(Enumerable.Range(0, 20).Select(i => $"key-{i}")), "the 20 oldest");
            Assert.That(plans, Has.Count.EqualTo(3), all);
            Assert.That(all, Does.Not.Contain("SCAN"), "no table or index walked whole");
            Assert.That(plans[0], Does.Contain("(status=?)").And.Not.Contain("TEMP B-TREE"),
                "the due rows are read in the index's order and the read stops at the batch: nothing sorted");
            Assert.That(plans.Skip(1), Has.All.Contains("(id=?)"),
                "the update and the read of what it leased find their rows by key (sorting at most the batch), not by status");
        }
    }

    /// <summary>Every statement sent, with its parameters, to be explained afterwards.</summary>
    private sealed class SentCommands : DbCommandInterceptor
    {
        public List<(string Text, List<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command) =>
            Commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
    }
}
