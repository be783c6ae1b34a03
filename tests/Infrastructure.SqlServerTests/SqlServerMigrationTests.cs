using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Infrastructure.SqlServerTests;

[TestFixture]
public sealed class SqlServerMigrationTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private string? _connectionString;

    [SetUp]
    public async Task SetUp()
    {
        _connectionString = SqlServerEnvironment.ConnectionString($"crm_{Guid.NewGuid():N}");
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_connectionString is null)
        {
            return; // skipped: no server was started
        }

        await using var db = CreateContext();
        await db.Database.EnsureDeletedAsync();
    }

    [Test]
    public async Task Migrate_AppliesEveryMigration_AndLeavesNonePending()
    {
        await using var db = CreateContext();
        Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
        Assert.That(await db.Database.GetAppliedMigrationsAsync(), Is.Not.Empty);
    }

    [Test]
    public async Task QuoteApprovalAndTimeline_RoundTrip()
    {
        Guid quoteId;
        await using (var db = CreateContext())
        {
            var quote = Quote.Create("CIS-20261122-0001", "Pumps", "ACME", 1234.56m, "CNY", _now);
            var approval = quote.AdoptForm("tpl-1", "202611220001", _now);
            var transition = approval.Quote.ApplyApprovalStatus(approval, ApprovalStatus.Approved, _now.AddMinutes(1), _now.AddMinutes(1));
            db.Quotes.Add(quote);
            db.Timeline.Add(TimelineEvent.Record("sha256:abc", TimelineSource.Callback, "sys_approval_change", 2, transition,
                approval, "202611220001", quote.Number, _now.AddMinutes(1), _now.AddMinutes(1), "<xml/>"));
            await db.SaveChangesAsync();
            quoteId = quote.Id;
        }

        await using (var db = CreateContext())
        {
            var quote = await db.Quotes.Include(q => q.Approvals).SingleAsync(q => q.Id == quoteId);
            var approval = quote.Approvals.Single();
            var timeline = await db.Timeline.SingleAsync();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(quote.Status, Is.EqualTo(QuoteStatus.Approved));
                Assert.That(quote.ApprovalStatus, Is.EqualTo(ApprovalStatus.Approved));
                Assert.That(quote.Amount, Is.EqualTo(1234.56m));
                Assert.That(quote.CreatedAt, Is.EqualTo(_now));
                Assert.That(approval.SpNo, Is.EqualTo("202611220001"));
                Assert.That(approval.IsOpen, Is.False);
                Assert.That(approval.LastEventAt, Is.EqualTo(_now.AddMinutes(1)));
                Assert.That(timeline.Outcome, Is.EqualTo(TimelineOutcome.Applied));
                Assert.That(timeline.QuoteId, Is.EqualTo(quoteId));
            }
        }
    }

    [Test]
    public async Task UniqueIndexes_RefuseDuplicates_AndAllowManyNullSpNos()
    {
        await using var db = CreateContext();
        var errors = new DatabaseErrors();
        var first = Quote.Create("CIS-20261122-0001", "A", "C", 1m, "CNY", _now);
        var second = Quote.Create("CIS-20261122-0002", "B", "C", 1m, "CNY", _now);
        first.StartApproval(ApprovalKind.Open, null, _now);
        second.StartApproval(ApprovalKind.Open, null, _now); // two approvals with no sp_no yet
        db.Quotes.AddRange(first, second);
        await db.SaveChangesAsync();

        db.Quotes.Add(Quote.Create("CIS-20261122-0001", "dup", "C", 1m, "CNY", _now));
        var duplicate = Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.That(errors.IsUniqueViolation(duplicate!), Is.True);
    }

    private SqlServerAppDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlServerAppDbContext>()
            .UseSqlServer(_connectionString, DatabaseSetup.SqlServerOptions).Options);
}
