using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace CrmIntegration.Api.IntegrationTests.Reliability;

/// <summary>
/// A transient database failure (SQLite busy past its timeout here; a deadlock victim or a broken connection on SQL
/// Server) in the middle of a unit of work: the execution strategy runs the whole unit again (ADR-26), the request
/// succeeds, its rows are written once, and the retry is a Warning, never an Error.
/// </summary>
[TestFixture]
public sealed class TransientRetryTests
{
    private CustomersApi _api = null!;
    private TransientFault _fault = null!;

    [SetUp]
    public void SetUp()
    {
        _fault = new TransientFault();
        _api = CustomersApi.Create(f =>
        {
            var configure = f.ConfigureTestServices;
            f.ConfigureTestServices = s =>
            {
                configure?.Invoke(s);
                s.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(_fault));
            };
        });
    }

    [TearDown]
    public void TearDown() => _api.Dispose();

    [TestCase(FaultAt.Insert)]
    [TestCase(FaultAt.Commit)]
    [TestCase(FaultAt.AfterCommit)]
    public async Task CreateQuote_HitByATransientFailure_IsRetried_AndCreatesOneQuote(FaultAt at)
    {
        var client = _api.Factory.CreateClientAs("sales");
        _fault.Arm("quotes", at);
        var mark = LogCapture.Instance.Mark();

        var response = await client.PostJsonAsync("/api/quotes", new { title = "Water pumps", customerName = "ACME Ltd", amount = 1200.50m, currency = "cny" });

        var quote = await HttpAssert.OkJsonAsync(response, HttpStatusCode.Created);
        var quotes = await _api.Factory.WithDbAsync(db => db.Quotes.Select(q => new { q.Id, q.Number }).ToListAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fault.Failures, Is.EqualTo(1), "the fault was injected once");
            Assert.That(quotes.Select(q => q.Id), Is.EqualTo(new[] { quote.GetProperty("id").GetGuid() }), "one quote, the one answered");
            Assert.That(quotes.Single().Number, Is.EqualTo(quote.GetProperty("number").GetString()));
            AssertLoggedAtWarningAtMost(mark, retried: at != FaultAt.AfterCommit);
        }
    }

    [TestCase(FaultAt.Insert)]
    [TestCase(FaultAt.Commit)]
    [TestCase(FaultAt.AfterCommit)]
    public async Task BatchAssignment_HitByATransientFailure_IsRetried_AndRecordsEachAssignmentOnce(FaultAt at)
    {
        var alice = await _api.EmployeeAsync("Alice", "alice", null);
        var customers = await _api.SeedCustomersAsync(3);
        _fault.Arm("customer_assignment_history", at); // the history insert follows the customers' UPDATEs in the transaction
        var mark = LogCapture.Instance.Mark();

        var response = await _api.Factory.CreateClientAs("manager")
            .PostJsonAsync("/api/customers/batch-assign", new { customerIds = customers, employeeId = alice });

        var result = await HttpAssert.OkJsonAsync(response);
        var (owned, history, notifications) = await _api.Factory.WithDbAsync(async db => (
            await db.Customers.CountAsync(c => c.OwnerEmployeeId == alice),
            await db.AssignmentHistory.Select(h => h.OperationId).ToListAsync(),
            await db.Notifications.Select(n => n.OperationId).ToListAsync()));
        var operation = result.GetProperty("operationId").GetGuid();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_fault.Failures, Is.EqualTo(1), "the fault was injected once");
            Assert.That((result.GetProperty("assigned").GetInt32(), result.GetProperty("unchanged").GetInt32()), Is.EqualTo((3, 0)),
                "the answer is the committed attempt's, not a second run's (which would find nothing left to assign)");
            Assert.That(owned, Is.EqualTo(3));
            Assert.That(history, Is.EqualTo(Enumerable.Repeat(operation, 3)), "one history row per customer, of the answered operation");
            Assert.That(notifications, Is.EqualTo(new[] { operation }), "one summary notification");
            AssertLoggedAtWarningAtMost(mark, retried: at != FaultAt.AfterCommit);
        }
    }

    // A commit found to have gone through is not retried, so only its Debug entries remain.
    private static void AssertLoggedAtWarningAtMost(int mark, bool retried)
    {
        var events = LogCapture.Instance.EventsSince(mark);
        Assert.That(events.Where(e => e.IsError).Select(e => e.ToString()), Is.Empty, "a transient failure that was handled is not an Error");
        var retries = events.Where(e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Contains("retried", StringComparison.Ordinal));
        Assert.That(retries.Count(), Is.EqualTo(retried ? 1 : 0), "the retry is one Warning");
    }
}
