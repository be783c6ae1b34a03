using CrmIntegration.Application.Common.Work;
using System.Net.Http.Json;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Infrastructure.Customers.MiniProgram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>The service with the mini-program configured against a <see cref="FakeWeChat"/>, and helpers to seed and wait.</summary>
internal sealed class CustomersApi(CrmApiFactory factory, FakeWeChat weChat) : IDisposable
{
    public CrmApiFactory Factory { get; } = factory;

    public FakeWeChat WeChat { get; } = weChat;

    public static CustomersApi Create(Action<CrmApiFactory>? configure = null)
    {
        var weChat = new FakeWeChat();
        var factory = new CrmApiFactory()
            .With("MiniProgram:AppId", "wx0123456789abcdef")
            .With("MiniProgram:AppSecret", "test-secret")
            .With("MiniProgram:CloudEnv", "test-env-1a2b3c")
            .With("MiniProgram:TemplateId", "TEMPLATE_ID_ASSIGNED")
            .With("MiniProgram:ApiBaseUrl", "https://wechat.test");
        factory.ConfigureTestServices = services =>
            services.AddHttpClient(MiniProgramHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => weChat);
        configure?.Invoke(factory);
        return new CustomersApi(factory, weChat);
    }

    public async Task<Guid> EmployeeAsync(string name, string weComUserId, string? openId)
    {
        var client = Factory.CreateClientAs("manager");
        var created = await client.PostAsJsonAsync("/api/employees", new { name, weComUserId, miniProgramOpenId = openId }, HttpAssert.Json);
        return (await HttpAssert.OkJsonAsync(created, System.Net.HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public async Task<Guid> CustomerAsync(string name, bool inPublicPool = false)
    {
        var client = Factory.CreateClientAs("manager");
        var created = await client.PostAsJsonAsync("/api/customers", new { name, company = $"{name} Ltd", phone = "+86 21 5555 0000", inPublicPool }, HttpAssert.Json);
        return (await HttpAssert.OkJsonAsync(created, System.Net.HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    /// <summary>Many customers straight into the database (the API would take a request each).</summary>
    public Task<List<Guid>> SeedCustomersAsync(int count, bool inPublicPool = false) => Factory.WithDbAsync(async db =>
    {
        var now = Factory.Clock.GetUtcNow();
        var customers = Enumerable.Range(1, count).Select(i => Customer.Create($"客户{i:D5}", "某某公司", "13800000000", inPublicPool, now)).ToList();
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync();
        return customers.Select(c => c.Id).ToList();
    });

    public Task<List<EmployeeNotification>> NotificationsAsync() =>
        Factory.WithDbAsync(db => db.Notifications.AsNoTracking().OrderBy(n => n.CreatedAt).ToListAsync());

    public Task<EmployeeNotification> NotificationAsync(Guid id) =>
        Factory.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == id));

    /// <summary>Wakes the dispatcher and waits (real time, bounded) until no notification is due now.</summary>
    public async Task WaitForNotificationsAsync()
    {
        var signals = Factory.Services.GetRequiredService<IWorkSignals>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var now = Factory.Clock.GetUtcNow();
            var due = await Factory.WithDbAsync(db => db.Notifications.CountAsync(n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now));
            if (due == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{due} notification(s) still due after 15 s.");
            }

            signals.Notify(WorkKind.EmployeeNotifications);
            await Task.Delay(20);
        }
    }

    public void Dispose() => Factory.Dispose();
}
