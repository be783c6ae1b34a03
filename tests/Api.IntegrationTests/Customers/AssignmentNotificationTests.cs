using System.Diagnostics;
using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Application.Customers.DeliverEmployeeNotification;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Customers;

/// <summary>The four assignment routes end in a subscription message to the right employee, through a fake WeChat.</summary>
[TestFixture]
public sealed class AssignmentNotificationTests
{
    private const string AliceOpenId = "oAlice0000000000000000000001";
    private const string BobOpenId = "oBob000000000000000000000002";

    private CustomersApi _api = null!;
    private HttpClient _manager = null!;
    private Guid _alice;
    private Guid _bob;

    [SetUp]
    public async Task SetUp()
    {
        _api = CustomersApi.Create();
        _manager = _api.Factory.CreateClientAs("manager");
        _alice = await _api.EmployeeAsync("Alice", "alice", AliceOpenId);
        _bob = await _api.EmployeeAsync("Bob", "WangXiaoMing", BobOpenId); // the test token's wecom_userid
    }

    [TearDown]
    public void TearDown()
    {
        _manager.Dispose();
        _api.Dispose();
    }

    [TestCase("/api/customers/{0}/assign", "web")]
    [TestCase("/api/customers/miniprogram/{0}/assign", "miniprogram")]
    public async Task AssignOne_WhenEmployeeHasOpenId_SendsOneMessageToThatOpenId(string route, string channel)
    {
        var customer = await _api.CustomerAsync("张三");

        var response = await _manager.PatchAsync(string.Format(route, customer), Body(new { employeeId = _bob }));
        var result = await HttpAssert.OkJsonAsync(response);
        await _api.WaitForNotificationsAsync();

        var notification = await _api.NotificationAsync(result.GetProperty("notificationId").GetGuid());
        var history = await _api.Factory.WithDbAsync(db => db.AssignmentHistory.AsNoTracking().SingleAsync(h => h.CustomerId == customer));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_api.WeChat.DeliveredOpenIds, Is.EqualTo(new[] { BobOpenId }));
            Assert.That(_api.WeChat.Delivered[0]["data"]!["thing1"]!["value"]!.GetValue<string>(), Is.EqualTo("新分配客户：张三"));
            Assert.That(_api.WeChat.Delivered[0]["page"]!.GetValue<string>(), Is.EqualTo($"pages/customers/list?customerId={customer}"));
            Assert.That(notification.Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(notification.MsgId, Is.Not.Empty);
            Assert.That(notification.Kind, Is.EqualTo(NotificationKind.Single));
            Assert.That(history.ToEmployeeId, Is.EqualTo(_bob));
            Assert.That(history.FromEmployeeId, Is.Null);
            Assert.That(history.AssignedBy, Is.EqualTo("tester"));
            Assert.That(Domain(history.Channel), Is.EqualTo(channel));
            Assert.That(result.GetProperty("assigned").GetInt32(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task BatchAssign_WhenEmployeeHasOpenId_SendsOneSummaryToThatOpenId()
    {
        var customers = new[] { await _api.CustomerAsync("张三"), await _api.CustomerAsync("李四") };

        var response = await _manager.PostJsonAsync("/api/customers/batch-assign", new { customerIds = customers, employeeId = _alice });
        await HttpAssert.OkJsonAsync(response);
        await _api.WaitForNotificationsAsync();

        var notifications = await _api.NotificationsAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_api.WeChat.DeliveredOpenIds, Is.EqualTo(new[] { AliceOpenId }));
            Assert.That(_api.WeChat.Delivered[0]["data"]!["thing1"]!["value"]!.GetValue<string>(), Is.EqualTo("新分配客户2位：张三、李四"));
            Assert.That(notifications.Single().Kind, Is.EqualTo(NotificationKind.Summary));
            Assert.That(notifications.Single().Channel, Is.EqualTo(AssignmentChannel.Batch));
            Assert.That(notifications.Single().Status, Is.EqualTo(NotificationStatus.Sent));
        }
    }

    [Test]
    public async Task PublicPoolAssign_AsSalesForThemselves_SendsOneSummaryToTheirOpenId()
    {
        var customers = new[] { await _api.CustomerAsync("张三", inPublicPool: true), await _api.CustomerAsync("李四", inPublicPool: true) };
        using var sales = _api.Factory.CreateClientAs("sales"); // wecom_userid WangXiaoMing = Bob

        var response = await sales.PostJsonAsync("/api/customers/public-pool/assign", new { customerIds = customers, employeeId = _bob });
        await HttpAssert.OkJsonAsync(response);
        await _api.WaitForNotificationsAsync();

        var notification = (await _api.NotificationsAsync()).Single();
        var owners = await _api.Factory.WithDbAsync(db => db.Customers.AsNoTracking().Select(c => new { c.OwnerEmployeeId, c.InPublicPool }).ToListAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_api.WeChat.DeliveredOpenIds, Is.EqualTo(new[] { BobOpenId }));
            Assert.That(notification.Channel, Is.EqualTo(AssignmentChannel.PublicPool));
            Assert.That(notification.Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(owners.All(o => o.OwnerEmployeeId == _bob && !o.InPublicPool), Is.True);
        }
    }

    [Test]
    public async Task Assign_WhenWeChatIsDown_Is200AndDeliversAfterItRecovers()
    {
        _api.WeChat.Then(FakeWeChat.Kind.Down).Then(FakeWeChat.Kind.Down);
        var customer = await _api.CustomerAsync("张三");

        var response = await _manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = _alice }));
        var id = (await HttpAssert.OkJsonAsync(response)).GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();
        var afterFirst = await _api.NotificationAsync(id);
        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(3)); // past the first backoff (2 s ± 20 %)
        var secondAttemptAt = _api.Factory.Clock.GetUtcNow();
        await _api.WaitForNotificationsAsync();
        var afterSecond = await _api.NotificationAsync(id);
        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(5)); // past the second (4 s ± 20 %); WeChat is back
        await _api.WaitForNotificationsAsync();
        var delivered = await _api.NotificationAsync(id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFirst.Status, Is.EqualTo(NotificationStatus.Pending));
            Assert.That(afterFirst.Attempts, Is.EqualTo(1));
            Assert.That(afterFirst.LastError, Does.Contain("HTTP 503"));
            Assert.That(afterSecond.Attempts, Is.EqualTo(2));
            Assert.That(afterFirst.NextAttemptAt - _api.Factory.Clock.Start, Is.InRange(TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4)));
            Assert.That(afterSecond.NextAttemptAt - secondAttemptAt, Is.InRange(TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4.8)), "doubled");
            Assert.That(delivered.Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(delivered.Attempts, Is.EqualTo(3));
            Assert.That(_api.WeChat.DeliveredOpenIds, Is.EqualTo(new[] { AliceOpenId }));
        }
    }

    [TestCase(-1)]
    [TestCase(-501001)]
    [TestCase(-504001)]
    [TestCase(45011)]
    public async Task Assign_WhenWeChatAnswersATransientCode_RetriesAndSends(int code)
    {
        _api.WeChat.Then(FakeWeChat.Kind.ErrCode, code);
        var customer = await _api.CustomerAsync("张三");

        var id = (await HttpAssert.OkJsonAsync(await _manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = _alice }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();
        var failed = await _api.NotificationAsync(id);
        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(3));
        await _api.WaitForNotificationsAsync();
        var sent = await _api.NotificationAsync(id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Status, Is.EqualTo(NotificationStatus.Pending));
            Assert.That(failed.LastErrorCode, Is.EqualTo(code));
            Assert.That(sent.Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(sent.Attempts, Is.EqualTo(2));
        }
    }

    [TestCase(FakeWeChat.Kind.RanWithoutResults, 0)]
    [TestCase(FakeWeChat.Kind.ErrCode, -504002)]
    [TestCase(FakeWeChat.Kind.ErrCode, -501002)]
    [TestCase(FakeWeChat.Kind.ErrCode, -604102)]
    public async Task Assign_WhenTheFunctionRanWithoutAReadableResult_IsUnconfirmed_NotResent_AndAnAdminCanRetryIt(FakeWeChat.Kind kind, int code)
    {
        _api.WeChat.Then(kind, code);
        var customer = await _api.CustomerAsync("张三");

        var id = (await HttpAssert.OkJsonAsync(await _manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = _alice }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();
        _api.Factory.Clock.Advance(TimeSpan.FromHours(1)); // far past every backoff
        await _api.WaitForNotificationsAsync();
        var unconfirmed = await _api.NotificationAsync(id);
        var requestsBeforeRetry = _api.WeChat.Requests.Count;
        var listed = await HttpAssert.OkJsonAsync(await _manager.GetAsync("/api/notifications?status=unconfirmed"));
        await HttpAssert.OkJsonAsync(await _api.Factory.CreateClientAs("admin").PostAsync($"/api/notifications/{id}/retry", null));
        await _api.WaitForNotificationsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((unconfirmed.Status, unconfirmed.Attempts), Is.EqualTo((NotificationStatus.Unconfirmed, 1)));
            Assert.That(unconfirmed.LastError, Is.Not.Empty);
            Assert.That(requestsBeforeRetry, Is.EqualTo(1), "a send that may have arrived is not repeated on its own");
            Assert.That(listed.GetProperty("totalCount").GetInt32(), Is.EqualTo(1));
            Assert.That((await _api.NotificationAsync(id)).Status, Is.EqualTo(NotificationStatus.Sent));
        }
    }

    [Test]
    public async Task Assign_WhenTheSendTimesOut_RetriesAndSends()
    {
        _api.WeChat.Then(FakeWeChat.Kind.Timeout);
        var customer = await _api.CustomerAsync("张三");

        var id = (await HttpAssert.OkJsonAsync(await _manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = _alice }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();
        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(3));
        await _api.WaitForNotificationsAsync();

        var sent = await _api.NotificationAsync(id);
        Assert.That((sent.Status, sent.Attempts), Is.EqualTo((NotificationStatus.Sent, 2)));
    }

    [Test]
    public async Task Assign_WhenEmployeeHasNoCreditLeft_IsNotSubscribedAndNotRetried()
    {
        _api.WeChat.Answer(AliceOpenId, 43101);
        var customer = await _api.CustomerAsync("张三");

        var id = (await HttpAssert.OkJsonAsync(await _manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = _alice }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();
        _api.Factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await _api.WaitForNotificationsAsync();

        var notification = await _api.NotificationAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notification.Status, Is.EqualTo(NotificationStatus.NotSubscribed));
            Assert.That(notification.LastErrorCode, Is.EqualTo(43101));
            Assert.That(notification.Attempts, Is.EqualTo(1));
            Assert.That(_api.WeChat.Requests, Has.Count.EqualTo(1), "no retry");
        }
    }

    [TestCase(40003)]
    [TestCase(40037)]
    [TestCase(47003)]
    [TestCase(41030)]
    public async Task Assign_WhenWeChatRefusesTheMessage_IsFailedAndNotRetried(int code)
    {
        _api.WeChat.Answer(AliceOpenId, code);
        var customer = await _api.CustomerAsync("张三");

        var id = (await HttpAssert.OkJsonAsync(await _manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = _alice }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();
        _api.Factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await _api.WaitForNotificationsAsync();

        var notification = await _api.NotificationAsync(id);
        Assert.That((notification.Status, notification.LastErrorCode, _api.WeChat.Requests.Count), Is.EqualTo((NotificationStatus.Failed, (int?)code, 1)));
    }

    [Test]
    public async Task Assign_WhenEmployeeHasNoOpenId_IsSkippedWithoutCallingWeChat()
    {
        var carol = await _api.EmployeeAsync("Carol", "carol", openId: null);
        var customer = await _api.CustomerAsync("张三");

        var id = (await HttpAssert.OkJsonAsync(await _manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = carol }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();

        var notification = await _api.NotificationAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notification.Status, Is.EqualTo(NotificationStatus.SkippedNoOpenid));
            Assert.That(_api.WeChat.Requests, Is.Empty);
            Assert.That(_api.WeChat.TokenFetches, Is.Zero);
        }
    }

    [Test]
    public async Task Assign_WhenTheTokenWasRotated_FetchesItOnceMoreAndSends()
    {
        var first = await _api.CustomerAsync("张三");
        await HttpAssert.OkJsonAsync(await _manager.PatchAsync($"/api/customers/{first}/assign", Body(new { employeeId = _alice })));
        await _api.WaitForNotificationsAsync();
        _api.WeChat.RotateToken();
        var second = await _api.CustomerAsync("李四");

        var id = (await HttpAssert.OkJsonAsync(await _manager.PatchAsync($"/api/customers/{second}/assign", Body(new { employeeId = _alice }))))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();

        var notification = await _api.NotificationAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((notification.Status, notification.Attempts), Is.EqualTo((NotificationStatus.Sent, 1)));
            Assert.That(_api.WeChat.TokenFetches, Is.EqualTo(2), "one fetch, then one refetch after 40001");
            Assert.That(_api.WeChat.Delivered, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task Assign_WhileWeChatIsSlow_AnswersBeforeTheSendCompletes()
    {
        _api.WeChat.Then(FakeWeChat.Kind.Hold);
        var customer = await _api.CustomerAsync("张三");

        var response = await _manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = _alice }));
        var id = (await HttpAssert.OkJsonAsync(response)).GetProperty("notificationId").GetGuid();
        await _api.WeChat.Held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var whileHeld = await _api.NotificationAsync(id);
        _api.WeChat.Release.SetResult();
        await _api.WaitForNotificationsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileHeld.Status, Is.EqualTo(NotificationStatus.Pending));
            Assert.That((await _api.NotificationAsync(id)).Status, Is.EqualTo(NotificationStatus.Sent));
        }
    }

    [Test]
    public async Task Assign_WhenWeChatStaysDown_IsDeadAfterMaxAttemptsAndAnAdminCanRetryIt()
    {
        using var api = CustomersApi.Create(f => f.With("Notifications:MaxAttempts", "2"));
        var alice = await api.EmployeeAsync("Alice", "alice", AliceOpenId);
        var customer = await api.CustomerAsync("张三");
        api.WeChat.Then(FakeWeChat.Kind.Down).Then(FakeWeChat.Kind.Down);
        using var manager = api.Factory.CreateClientAs("manager");

        var id = (await HttpAssert.OkJsonAsync(await manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = alice }))))
            .GetProperty("notificationId").GetGuid();
        await api.WaitForNotificationsAsync();
        api.Factory.Clock.Advance(TimeSpan.FromSeconds(3));
        await api.WaitForNotificationsAsync();
        var dead = await api.NotificationAsync(id);
        var listed = await HttpAssert.OkJsonAsync(await manager.GetAsync($"/api/notifications?status=dead&employeeId={alice}"));
        var retried = await api.Factory.CreateClientAs("admin").PostAsync($"/api/notifications/{id}/retry", null);
        await HttpAssert.OkJsonAsync(retried);
        await api.WaitForNotificationsAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((dead.Status, dead.Attempts), Is.EqualTo((NotificationStatus.Dead, 2)));
            Assert.That(listed.GetProperty("totalCount").GetInt32(), Is.EqualTo(1));
            Assert.That(listed.GetProperty("items")[0].GetProperty("status").GetString(), Is.EqualTo("dead"));
            Assert.That((await api.NotificationAsync(id)).Status, Is.EqualTo(NotificationStatus.Sent));
        }
    }

    [Test]
    public async Task BatchAssign_1000CustomersTo3Employees_QueuesAndSendsExactly3Summaries()
    {
        var carol = await _api.EmployeeAsync("Carol", "carol", "oCarol00000000000000000000003");
        var ids = await _api.SeedCustomersAsync(1000);
        var targets = new[] { _alice, _bob, carol };

        for (var i = 0; i < 3; i++)
        {
            var part = ids.Skip(i * 334).Take(334).ToList();
            var response = await _manager.PostJsonAsync("/api/customers/batch-assign", new { customerIds = part, employeeId = targets[i] });
            await HttpAssert.OkJsonAsync(response);
        }

        await _api.WaitForNotificationsAsync();
        var notifications = await _api.NotificationsAsync();
        var history = await _api.Factory.WithDbAsync(db => db.AssignmentHistory.CountAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notifications, Has.Count.EqualTo(3));
            Assert.That(notifications.Select(n => n.CustomerCount), Is.EqualTo(new[] { 334, 334, 332 }));
            Assert.That(notifications.All(n => n.Status == NotificationStatus.Sent), Is.True);
            Assert.That(_api.WeChat.DeliveredOpenIds, Is.EquivalentTo(new[] { AliceOpenId, BobOpenId, "oCarol00000000000000000000003" }));
            Assert.That(history, Is.EqualTo(1000));
        }
    }

    [Test]
    public async Task BatchAssign_10000CustomersInOneRequest_SucceedsWithinSeconds()
    {
        var ids = await _api.SeedCustomersAsync(10_000);

        var stopwatch = Stopwatch.StartNew();
        var response = await _manager.PostJsonAsync("/api/customers/batch-assign", new { customerIds = ids, employeeId = _alice });
        var result = await HttpAssert.OkJsonAsync(response);
        stopwatch.Stop();
        TestContext.Out.WriteLine($"10,000-customer batch: {stopwatch.ElapsedMilliseconds} ms");
        await _api.WaitForNotificationsAsync();

        var owned = await _api.Factory.WithDbAsync(db => db.Customers.CountAsync(c => c.OwnerEmployeeId == _alice));
        var history = await _api.Factory.WithDbAsync(db => db.AssignmentHistory.CountAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.GetProperty("assigned").GetInt32(), Is.EqualTo(10_000));
            Assert.That(owned, Is.EqualTo(10_000));
            Assert.That(history, Is.EqualTo(10_000));
            Assert.That(_api.WeChat.Delivered, Has.Count.EqualTo(1));
            Assert.That(_api.WeChat.Delivered[0]["data"]!["thing1"]!["value"]!.GetValue<string>(), Does.StartWith("新分配客户10000位"));
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        }
    }

    [Test]
    public async Task PublicPoolAssign_ConcurrentClaimsOfOneCustomer_ExactlyOneWins()
    {
        var customer = await _api.CustomerAsync("张三", inPublicPool: true);
        using var other = _api.Factory.CreateClientAs("manager");

        var responses = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? _manager : other).PostJsonAsync(
                "/api/customers/public-pool/assign", new { customerIds = new[] { customer }, employeeId = i % 2 == 0 ? _alice : _bob })));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        var loser = responses.FirstOrDefault(r => r.StatusCode == HttpStatusCode.Conflict);
        var history = await _api.Factory.WithDbAsync(db => db.AssignmentHistory.CountAsync());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1), string.Join(", ", statuses));
            Assert.That(statuses.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(5), string.Join(", ", statuses));
            Assert.That(history, Is.EqualTo(1));
            Assert.That((await _api.NotificationsAsync()), Has.Count.EqualTo(1));
        }

        var problem = await HttpAssert.ProblemAsync(loser!, HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("rule").GetString(), Is.EqualTo("CustomersMustBeInPublicPool"));
        Assert.That(problem.GetProperty("ids")[0].GetGuid(), Is.EqualTo(customer));
    }

    [Test]
    public async Task Dispatcher_WhenAnotherInstanceStoppedHoldingTheLease_LeavesTheRowUntilTheLeaseEndsThenSendsItOnce()
    {
        var notification = EmployeeNotification.ForSingle(_alice, Guid.NewGuid(), AssignmentChannel.Web, Guid.NewGuid(), "王五", _api.Factory.Clock.GetUtcNow());
        await _api.Factory.WithDbAsync(db =>
        {
            db.Notifications.Add(notification); // stored without waking this instance's worker
            return db.SaveChangesAsync();
        });

        // "Instance A" claims the row and its process stops before sending.
        var (_, until, claimed) = await ClaimAsync();

        // "Instance B" runs while the lease holds, at its start and just before its end: nothing to take.
        var takenAtOnce = await DeliverDueAsync();
        _api.Factory.Clock.Advance(until - _api.Factory.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        var takenBeforeLeaseEnds = await DeliverDueAsync();
        var requestsDuringLease = _api.WeChat.Requests.Count;

        _api.Factory.Clock.Advance(TimeSpan.FromSeconds(2));
        var takenAfterLease = await DeliverDueAsync();
        await _api.WaitForNotificationsAsync(); // the hosted worker runs too: still one send
        var after = await _api.NotificationAsync(notification.Id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(claimed.Select(c => c.Id), Is.EqualTo(new[] { notification.Id }));
            Assert.That((takenAtOnce, takenBeforeLeaseEnds, requestsDuringLease), Is.EqualTo((0, 0, 0)));
            Assert.That(takenAfterLease, Is.InRange(0, 1), "this call or the hosted worker (its timer fired too) takes it");
            Assert.That((after.Status, after.Attempts), Is.EqualTo((NotificationStatus.Sent, 1)));
            Assert.That(_api.WeChat.DeliveredOpenIds, Is.EqualTo(new[] { AliceOpenId }), "sent once");
        }
    }

    [Test]
    public async Task Dispatcher_WhenTwoClaimAtOnce_EachRowGoesToOneOfThem()
    {
        var now = _api.Factory.Clock.GetUtcNow();
        await _api.Factory.WithDbAsync(db =>
        {
            for (var i = 0; i < 40; i++)
            {
                db.Notifications.Add(EmployeeNotification.ForSingle(i % 2 == 0 ? _alice : _bob, Guid.NewGuid(), AssignmentChannel.Web, Guid.NewGuid(), $"客户{i}", now));
            }

            return db.SaveChangesAsync();
        });

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(ClaimAsync)));

        var ids = claims.SelectMany(c => c.Items.Select(n => n.Id)).ToList();
        Assert.That(ids, Is.Unique);
    }

    // What a worker of another instance does: one claim through the work queue, with the configured lease.
    private async Task<WorkBatch<EmployeeNotification>> ClaimAsync()
    {
        await using var scope = _api.Factory.Services.CreateAsyncScope();
        var now = _api.Factory.Clock.GetUtcNow();
        return await scope.ServiceProvider.GetRequiredService<IWorkQueue<EmployeeNotification>>().ClaimAsync(
            n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now, n => n.NextAttemptAt, 20, TimeSpan.FromSeconds(60),
            CancellationToken.None);
    }

    private async Task<int> DeliverDueAsync()
    {
        await using var scope = _api.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DeliverEmployeeNotificationCommand());
    }

    [Test]
    public async Task Assign_ThroughTheDirectChannel_SendsSubscribeSendWithValuesWithinLimits()
    {
        using var api = CustomersApi.Create(f => f.With("Notifications:Channel", "SubscribeMessage"));
        var alice = await api.EmployeeAsync("Alice", "alice", AliceOpenId);
        var customer = await api.CustomerAsync("上海某某机电设备有限公司采购部张三");
        using var manager = api.Factory.CreateClientAs("manager");

        var id = (await HttpAssert.OkJsonAsync(await manager.PatchAsync($"/api/customers/{customer}/assign", Body(new { employeeId = alice }))))
            .GetProperty("notificationId").GetGuid();
        await api.WaitForNotificationsAsync();

        var request = api.WeChat.Requests.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((await api.NotificationAsync(id)).Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(request["touser"]!.GetValue<string>(), Is.EqualTo(AliceOpenId));
            Assert.That(request["template_id"]!.GetValue<string>(), Is.EqualTo("TEMPLATE_ID_ASSIGNED"));
            Assert.That(request["data"]!["thing1"]!["value"]!.GetValue<string>().EnumerateRunes().Count(), Is.EqualTo(20));
            Assert.That(request["data"]!["phrase3"]!["value"]!.GetValue<string>(), Is.EqualTo("待跟进"));
            Assert.That(request["data"]!["time2"]!["value"]!.GetValue<string>(), Is.EqualTo("2026年11月22日 17:30"));
        }
    }

    private static string Domain(AssignmentChannel channel) => channel switch
    {
        AssignmentChannel.Web => "web",
        AssignmentChannel.Miniprogram => "miniprogram",
        AssignmentChannel.Batch => "batch",
        _ => "public_pool",
    };

    private static System.Net.Http.Json.JsonContent Body(object body) => System.Net.Http.Json.JsonContent.Create(body, options: HttpAssert.Json);
}
