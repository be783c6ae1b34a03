using System.Diagnostics;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

/// <summary>
/// What a sync pass costs in WeCom calls, counted by the simulator over real HTTP (issue 13, P4; docs/performance.md §6):
/// N open system approvals, 1 % of them decided in WeCom with the callbacks lost. The bound is ⌈N/100⌉ list pages +
/// one detail read per change, + 5 %; the one-read-per-approval sync this replaced cost N calls. Then one of the
/// approved forms is revoked, its callback lost too, and the next interval's run must repair it. N = 10,000 is run by
/// <c>build/measure-sync.sh</c> (it sets CRM_MEASURE_SYNC=1; seeding takes a while); N = 1,000 runs with the suite.
/// </summary>
[TestFixture]
public sealed class SyncPassCostTests
{
    private const string Info = "/cgi-bin/oa/getapprovalinfo";
    private const string Detail = "/cgi-bin/oa/getapprovaldetail";

    private static IEnumerable<int> Sizes()
    {
        yield return 1_000;
        if (Environment.GetEnvironmentVariable("CRM_MEASURE_SYNC") == "1")
        {
            yield return 10_000;
        }
    }

    [TestCaseSource(nameof(Sizes))]
    public async Task APass_OverNOpenApprovals_FindsEveryChange_AndALostRevoke_WithinTheBound(int n)
    {
        await using var trip = await WeComRoundTrip.StartAsync();
        var state = trip.Simulator.State;
        var clock = trip.Factory.Clock;
        var seeding = Stopwatch.StartNew();
        var spNos = Enumerable.Range(0, n).Select(_ => state.SubmitApproval("WangXiaoMing", WeComRoundTrip.TemplateId).SpNo).ToList();
        await SeedApprovalsAsync(trip.Factory, spNos, clock.GetUtcNow());
        TestContext.Out.WriteLine($"seeded {n} open approvals in {seeding.Elapsed.TotalSeconds:F1} s");

        var changed = spNos.Where((_, i) => i % 100 == 42).ToList(); // 1 %, decided in WeCom, callbacks lost
        state.DropNextCallbacks(changed.Count);
        foreach (var spNo in changed)
        {
            await state.ApproveAsync(spNo);
        }

        using var admin = trip.Factory.CreateClientAs("ops", "admin");
        var before = state.Counters();
        var watch = Stopwatch.StartNew();
        var report = await HttpAssert.OkJsonAsync(await admin.PostAsync("/api/admin/approvals/sync", null));
        var passTime = watch.Elapsed;
        var pass = state.Counters();
        int Calls(string path, CrmIntegration.Simulator.State.SimulatorCounters from, CrmIntegration.Simulator.State.SimulatorCounters to) => to.CallsTo(path) - from.CallsTo(path);
        var (pages, details) = (Calls(Info, before, pass), Calls(Detail, before, pass));
        var approvedInDb = await trip.Factory.WithDbAsync(db => db.ApprovalInstances.CountAsync(a => a.Status == ApprovalStatus.Approved));

        // A revoke of one of the approved forms, its callback lost: the next interval's run (the worker) repairs it.
        state.DropNextCallbacks(1);
        await state.RevokeAsync(changed[0]);
        var runsBefore = trip.Factory.Services.GetRequiredService<CrmMetrics>().SyncRunsEnded;
        clock.Advance(TimeSpan.FromMinutes(2));
        await WeComRoundTrip.EventuallyAsync(
            () => Task.FromResult(trip.Factory.Services.GetRequiredService<CrmMetrics>().SyncRunsEnded > runsBefore), "the next sync run", seconds: 120);
        var next = state.Counters();
        var revoked = await trip.Factory.WithDbAsync(db => db.Quotes.CountAsync(q => q.Status == QuoteStatus.Cancelled));

        var bound = (int)Math.Floor(((n + 99) / 100 + changed.Count) * 1.05);
        TestContext.Out.WriteLine(
            $"N={n}, changed={changed.Count}: first pass {pages} list pages + {details} detail reads = {pages + details} calls " +
            $"(bound {bound}; one read per approval would be {n}) in {passTime.TotalSeconds:F2} s; report {report}; " +
            $"next interval: {Calls(Info, pass, next)} list pages + {Calls(Detail, pass, next)} detail reads, revoke repaired: {revoked == 1}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(approvedInDb, Is.EqualTo(changed.Count), "every change found in one pass");
            Assert.That(details, Is.EqualTo(changed.Count), "a detail read per change only");
            Assert.That(pages + details, Is.LessThanOrEqualTo(bound), "⌈N/100⌉ + changed + 5 %");
            Assert.That(revoked, Is.EqualTo(1), "the lost revoke repaired within one interval");
            Assert.That(Calls(Detail, pass, next), Is.Zero, "the revoke came from the revoked list");
        }
    }

    // As the service would have stored them: quotes submitted and confirmed, sp_no from the simulator's forms.
    private static async Task SeedApprovalsAsync(CrmApiFactory factory, IReadOnlyList<string> spNos, DateTimeOffset now)
    {
        foreach (var chunk in spNos.Select((spNo, i) => (spNo, i)).Chunk(1_000))
        {
            await factory.WithDbAsync(async db =>
            {
                foreach (var (spNo, i) in chunk)
                {
                    var quote = Quote.Create($"Q-P4-{i:D6}", "Pumps", "ACME", 100m, "CNY", now);
                    var approval = quote.RequestApproval(WeComRoundTrip.TemplateId, "WangXiaoMing", now);
                    quote.ConfirmSubmission(approval, spNo, now);
                    db.Quotes.Add(quote);
                }

                return await db.SaveChangesAsync();
            });
        }
    }
}
