using CrmIntegration.Application.Common.Telemetry;
using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Domain.Customers;
using CrmIntegration.Simulator;
using CrmIntegration.Simulator.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Reliability;

/// <summary>
/// The simulator injects -1, 45009, 42001, HTTP 5xx and timeouts during the sync and the notification
/// dispatch: everything converges within two sync intervals, or within the notifications' retry budget.
/// </summary>
[TestFixture]
[Category("Reliability")]
public sealed class FaultConvergenceTests
{
    [Test]
    public async Task Sync_UnderInjectedFaults_ConvergesWithinTwoIntervals()
    {
        await using var trip = await WeComRoundTrip.StartAsync(f => f.With("WeCom:HttpTimeout", "00:00:01"));
        trip.Simulator.Settings.HangMilliseconds = 5_000;
        using var api = trip.Factory.CreateClientAs("sales", "admin");
        var quotes = new List<Guid>();
        var spNos = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var quote = await HttpAssert.OkJsonAsync(
                await api.PostJsonAsync("/api/quotes", new { title = $"Q{i}", customerName = "ACME", amount = 10m, currency = "CNY" }), HttpStatusCode.Created);
            quotes.Add(quote.GetProperty("id").GetGuid());
            spNos.Add((await HttpAssert.OkJsonAsync(await api.PostJsonAsync($"/api/quotes/{quotes[^1]}/submit-approval", new { }), HttpStatusCode.Created))
                .GetProperty("spNo").GetString()!);
        }

        // Every callback is lost; WeCom misbehaves while the sync reads.
        var state = trip.Simulator.State;
        state.DropNextCallbacks(spNos.Count);
        foreach (var spNo in spNos)
        {
            await state.ApproveAsync(spNo);
        }

        state.RevokeCorpToken(); // 42001 on the first read
        const string detail = "/cgi-bin/oa/getapprovaldetail";
        state.InjectFault(detail, Fault.Error(-1));
        state.InjectFault(detail, Fault.Http(500));
        state.InjectFault(detail, Fault.Timeout());
        state.InjectFault(detail, Fault.Error(45009));

        for (var interval = 1; interval <= 2; interval++)
        {
            trip.Factory.Clock.Advance(TimeSpan.FromMinutes(2));
            var run = interval; // the worker wakes on the fake clock; its run is real work
            await WeComRoundTrip.EventuallyAsync(
                () => Task.FromResult(trip.Factory.Services.GetRequiredService<CrmMetrics>().SyncRunsEnded >= run),
                "the sync run finished", seconds: 30);
        }

        var statuses = await trip.Factory.WithDbAsync(db => db.Quotes.Select(q => q.Status).ToListAsync());
        Assert.That(statuses, Has.Count.EqualTo(8).And.All.EqualTo(Domain.Approvals.QuoteStatus.Approved));
        Assert.That(state.Approvals(), Has.Count.EqualTo(8), "no form submitted twice");
    }

    [Test]
    public async Task Notifications_UnderInjectedFaults_AreEachDeliveredOnce()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorSettings { HangMilliseconds = 5_000 });
        using var factory = Customers.NotificationRoundTripTests.ConfigureFor(simulator, new CrmApiFactory())
            .With("Notifications:RequestTimeout", "00:00:01");
        var api = new CustomersApi(factory, new FakeWeChat());
        var employees = new List<(Guid Id, string OpenId)>();
        for (var i = 0; i < 5; i++)
        {
            var openId = $"oSimEmployee{i:D20}";
            employees.Add((await api.EmployeeAsync($"员工{i}", $"user{i}", openId), openId));
        }

        const string invoke = "/tcb/invokecloudfunction";
        simulator.State.InjectFault(invoke, Fault.Error(-1));
        simulator.State.InjectFault(invoke, Fault.Http(503));
        simulator.State.InjectFault(invoke, Fault.Timeout());
        simulator.State.InjectFault(invoke, Fault.Error(-501001));
        simulator.State.RevokeMiniProgramToken();

        using var manager = factory.CreateClientAs("manager");
        foreach (var (id, _) in employees)
        {
            var customer = await api.CustomerAsync($"客户{id:N}"[..8]);
            var response = await manager.PatchAsync($"/api/customers/{customer}/assign", System.Net.Http.Json.JsonContent.Create(new { employeeId = id }));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an assignment never waits for or fails with WeChat");
        }

        for (var round = 0; round < 12 && (await api.NotificationsAsync()).Any(n => n.Status == NotificationStatus.Pending); round++)
        {
            await api.WaitForNotificationsAsync();
            factory.Clock.Advance(TimeSpan.FromMinutes(1)); // past every backoff so far
        }

        var notifications = await api.NotificationsAsync();
        TestContext.Out.WriteLine(string.Join("\n", notifications.Select(n => $"{n.Status} {n.Attempts} {n.LastError}")));
        var delivered = simulator.State.DeliveredMessages.GroupBy(m => m.OpenId).ToDictionary(g => g.Key, g => g.Count());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notifications.Select(n => n.Status).ToList(), Has.Count.EqualTo(5).And.All.EqualTo(NotificationStatus.Sent));
            Assert.That(employees.Select(e => delivered.GetValueOrDefault(e.OpenId)), Is.All.EqualTo(1), "each employee told once");
        }
    }
}
