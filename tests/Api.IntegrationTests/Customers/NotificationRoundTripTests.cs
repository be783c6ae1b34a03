using System.Net;
using System.Net.Http.Json;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Simulator;

namespace CrmIntegration.Api.IntegrationTests.Customers;

/// <summary>The four assignment routes notify through a real HTTP round trip to the simulator playing api.weixin.qq.com.</summary>
[TestFixture]
public sealed class NotificationRoundTripTests
{
    private SimulatorHost _simulator = null!;
    private CustomersApi _api = null!;

    [SetUp]
    public async Task SetUp()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorSettings());
        _api = new CustomersApi(ConfigureFor(_simulator, new CrmApiFactory()), new FakeWeChat());
    }

    [TearDown]
    public async Task TearDown()
    {
        _api.Dispose();
        await _simulator.DisposeAsync();
    }

    [TestCase("cloud function", "CloudFunction", "cloudfunction")]
    [TestCase("direct send", "SubscribeMessage", "subscribe_send")]
    public async Task EachOfTheFourRoutes_NotifiesTheAssignedEmployeesOpenId(string name, string channel, string delivered)
    {
        _api.Factory.With("Notifications:Channel", channel);
        var alice = await _api.EmployeeAsync("Alice", "alice", "oAlice000000000000000000001");
        var bob = await _api.EmployeeAsync("Bob", "WangXiaoMing", "oBob00000000000000000000002"); // the test token's wecom_userid
        var web = await _api.CustomerAsync("张三");
        var miniprogram = await _api.CustomerAsync("李四");
        var batch = new[] { await _api.CustomerAsync("王五"), await _api.CustomerAsync("赵六") };
        var pool = new[] { await _api.CustomerAsync("孙七", inPublicPool: true) };
        using var manager = _api.Factory.CreateClientAs("manager");
        using var sales = _api.Factory.CreateClientAs("sales");

        var responses = new[]
        {
            await manager.PatchAsync($"/api/customers/{web}/assign", JsonContent.Create(new { employeeId = alice })),
            await manager.PatchAsync($"/api/customers/miniprogram/{miniprogram}/assign", JsonContent.Create(new { employeeId = bob })),
            await manager.PostJsonAsync("/api/customers/batch-assign", new { customerIds = batch, employeeId = alice }),
            await sales.PostJsonAsync("/api/customers/public-pool/assign", new { customerIds = pool, employeeId = bob }),
        };
        await _api.WaitForNotificationsAsync();

        var messages = _simulator.State.DeliveredMessages;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(messages.Select(m => m.OpenId), Is.EquivalentTo(new[]
            {
                "oAlice000000000000000000001", "oBob00000000000000000000002", "oAlice000000000000000000001", "oBob00000000000000000000002",
            }), name);
            Assert.That(messages.Select(m => m.Channel), Is.All.EqualTo(delivered));
            Assert.That((await _api.NotificationsAsync()).Select(n => n.Status), Is.All.EqualTo(NotificationStatus.Sent));
        }
    }

    [Test]
    public async Task NoCreditLeft_IsNotSubscribed_AndNotRetried()
    {
        var alice = await _api.EmployeeAsync("Alice", "alice", "oAlice000000000000000000001");
        _simulator.State.ScriptOpenId("oAlice000000000000000000001", 43101);
        using var manager = _api.Factory.CreateClientAs("manager");

        await manager.PatchAsync($"/api/customers/{await _api.CustomerAsync("张三")}/assign", JsonContent.Create(new { employeeId = alice }));
        await _api.WaitForNotificationsAsync();
        _api.Factory.Clock.Advance(TimeSpan.FromHours(1));
        await _api.WaitForNotificationsAsync();

        var notification = (await _api.NotificationsAsync()).Single();
        Assert.That(notification.Status, Is.EqualTo(NotificationStatus.NotSubscribed));
        Assert.That(notification.Attempts, Is.EqualTo(1));
        Assert.That(_simulator.State.DeliveredMessages, Is.Empty);
    }

    internal static CrmApiFactory ConfigureFor(SimulatorHost simulator, CrmApiFactory factory) => factory
        .With("MiniProgram:AppId", simulator.Settings.MiniProgram.AppId)
        .With("MiniProgram:AppSecret", simulator.Settings.MiniProgram.AppSecret)
        .With("MiniProgram:CloudEnv", "prod-1a2b3c")
        .With("MiniProgram:TemplateId", "TPL-ASSIGNED")
        .With("MiniProgram:ApiBaseUrl", simulator.BaseAddress.ToString());
}
