using System.Net;
using System.Text.Json;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Common;
using CrmIntegration.Domain.Customers;

namespace CrmIntegration.Api.IntegrationTests.Admin;

/// <summary>The work queues' admin views in one shape (ADR-22): state of all three, retry all failed of a kind.</summary>
[TestFixture]
public sealed class WorkQueueAdminTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private CrmApiFactory _factory = null!;
    private HttpClient _admin = null!;

    [SetUp]
    public void SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _admin = _factory.CreateClientAs("sales", "admin");
    }

    [TearDown]
    public void TearDown()
    {
        _admin.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task FailedCallbacks_AreCountedByStatus_AndRetryFailedQueuesThemAllAgain_ThenTheyApply()
    {
        var quote = await HttpAssert.OkJsonAsync(await _admin.PostJsonAsync("/api/quotes",
            new { title = "Pumps", customerName = "ACME", amount = 100m, currency = "CNY" }), HttpStatusCode.Created);
        var number = quote.GetProperty("number").GetString()!;
        await _factory.WithDbAsync(db =>
        {
            // Two callbacks that failed for good before (e.g. the store was down through every attempt).
            foreach (var (key, status) in new[] { ("ev-1", 1), ("ev-2", 2) })
            {
                var message = InboxMessage.Receive(key, "event", "open_approval_change",
                    WeComMessages.OpenApprovalChange(number, status, Now + status), _factory.Clock.GetUtcNow());
                message.RecordRefused("injected: the store refused", _factory.Clock.GetUtcNow());
                db.Inbox.Add(message);
            }

            return db.SaveChangesAsync();
        });

        var before = await QueueAsync("approval_callbacks");
        var retried = await HttpAssert.OkJsonAsync(await _admin.PostAsync("/api/admin/wecom/inbox/retry-failed", null));
        await _factory.WaitForInboxAsync();
        var after = await QueueAsync("approval_callbacks");
        var status = (await HttpAssert.OkJsonAsync(await _admin.GetAsync($"/api/quotes/{quote.GetProperty("id").GetGuid()}"))).GetProperty("status").GetString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.GetProperty("byStatus").GetProperty("failed").GetInt32(), Is.EqualTo(2));
            Assert.That(retried.GetProperty("retried").GetInt32(), Is.EqualTo(2));
            Assert.That(after.GetProperty("byStatus").GetProperty("processed").GetInt32(), Is.EqualTo(2));
            Assert.That(after.GetProperty("byStatus").TryGetProperty("failed", out _), Is.False);
            Assert.That(after.GetProperty("dueNow").GetInt32(), Is.Zero);
            Assert.That(status, Is.EqualTo("approved"), "both events applied, in order");
        }
    }

    [Test]
    public async Task DeadNotifications_AreCountedAndRetriedByStatus_AndABadStatusIsA400NamingIt()
    {
        await _factory.WithDbAsync(db =>
        {
            var employee = Employee.Create("张三", "zhangsan", null, _factory.Clock.GetUtcNow());
            db.Employees.Add(employee);
            for (var i = 0; i < 2; i++)
            {
                var n = EmployeeNotification.ForSingle(employee.Id, Guid.NewGuid(), AssignmentChannel.Web, Guid.NewGuid(), $"客户{i}", _factory.Clock.GetUtcNow());
                n.StartAttempt();
                n.RecordAttempt(SendOutcome.Transient, null, "timeout", null, _factory.Clock.GetUtcNow(), new RetryPolicy(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)), 0.5);
                db.Notifications.Add(n);
            }

            return db.SaveChangesAsync();
        });

        var before = await QueueAsync("employee_notifications");
        var retried = await HttpAssert.OkJsonAsync(await _admin.PostAsync("/api/notifications/retry-undelivered?status=dead", null));
        var after = await QueueAsync("employee_notifications");
        var bogus = await _admin.PostAsync("/api/notifications/retry-undelivered?status=bogus", null);
        var sent = await _admin.PostAsync("/api/notifications/retry-undelivered?status=sent", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.GetProperty("byStatus").GetProperty("dead").GetInt32(), Is.EqualTo(2));
            Assert.That(retried.GetProperty("retried").GetInt32(), Is.EqualTo(2));
            Assert.That(after.GetProperty("byStatus").GetProperty("pending").GetInt32(), Is.EqualTo(2), "queued again (the mini-program is off here, so they wait)");
            Assert.That(after.GetProperty("dueNow").GetInt32(), Is.EqualTo(2));
            Assert.That((await HttpAssert.ProblemAsync(bogus, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("status", out _), Is.True);
            Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a sent notification is never sent again");
        }
    }

    [Test]
    public async Task SalesAndManagers_CannotSeeOrRetryTheQueues()
    {
        using var manager = _factory.CreateClientAs("manager");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await manager.GetAsync("/api/admin/work-queues")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await manager.PostAsync("/api/admin/wecom/inbox/retry-failed", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await manager.PostAsync("/api/notifications/retry-undelivered?status=dead", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }
    }

    private async Task<JsonElement> QueueAsync(string kind)
    {
        var queues = await HttpAssert.OkJsonAsync(await _admin.GetAsync("/api/admin/work-queues"));
        return queues.EnumerateArray().Single(q => q.GetProperty("kind").GetString() == kind);
    }
}
