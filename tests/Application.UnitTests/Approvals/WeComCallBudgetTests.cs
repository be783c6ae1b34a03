using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.SubmitQuoteForApproval;
using CrmIntegration.Application.Approvals.SyncPendingApprovals;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.UnitTests.Approvals;

/// <summary>
/// One WeCom call budget for every instance, held in the database: two service instances (two providers, each with
/// its own connections) on one SQLite file stand for two processes.
/// </summary>
[TestFixture]
public sealed class WeComCallBudgetTests
{
    private const int PerMinute = 60;
    private const int Reserve = 10;
    private const int BackgroundShare = PerMinute - Reserve;

    private static readonly DateTimeOffset _start = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private readonly List<TestServices> _instances = [];
    private TestDatabase _database = null!;

    [SetUp]
    public void SetUp() => _database = TestDatabase.CreateFile();

    [TearDown]
    public void TearDown()
    {
        _instances.ForEach(i => i.Dispose());
        _instances.Clear();
        _database.Dispose();
    }

    [Test]
    public async Task TwoInstances_TakingAtOnce_NeverPassTheBackgroundShare()
    {
        var (a, b) = (Instance(), Instance());

        // 80 calls wanted, from 40 concurrent takes of 1-3 calls split over both instances.
        var takes = Enumerable.Range(0, 40).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).InScopeAsync(sp =>
            sp.GetRequiredService<WeComCallBudget>().TakeForBackgroundAsync(1 + (i % 3), CancellationToken.None))));
        var granted = await Task.WhenAll(takes);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(granted.Sum(), Is.LessThanOrEqualTo(BackgroundShare).And.GreaterThan(BackgroundShare / 2), "80 wanted, 50 to share");
            Assert.That(await CountAsync(_start), Is.EqualTo(granted.Sum()), "the count is what was handed out");
        }
    }

    [Test]
    public async Task TwoInstances_SyncingAtOnce_SpendOneBudget_AndTheRestIsReadNextMinute()
    {
        var a = Instance();
        var b = Instance(a.WeCom);
        for (var i = 0; i < 60; i++)
        {
            await SubmitAsync(a);
        }

        LoseEveryCallback(a); // each approval needs a read of its own
        Advance(TimeSpan.FromSeconds(90)); // a new minute; the submissions spent theirs
        var runs = await Task.WhenAll(
            Task.Run(() => a.SendAsync(new SyncPendingApprovalsCommand())),
            Task.Run(() => b.SendAsync(new SyncPendingApprovalsCommand())));
        var readInTheMinute = a.WeCom.CallsTo("getapprovaldetail") + a.WeCom.CallsTo("getapprovalinfo");
        Advance(TimeSpan.FromSeconds(40)); // the next minute, before the approvals read above are due again
        var next = await b.SendAsync(new SyncPendingApprovalsCommand());

        var perForm = a.WeCom.Calls.Where(c => c.Key.StartsWith("getapprovaldetail:", StringComparison.Ordinal)).Select(c => c.Value).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(readInTheMinute, Is.EqualTo(BackgroundShare), "both instances' calls together");
            Assert.That(runs.Sum(r => r.Calls), Is.EqualTo(BackgroundShare));
            Assert.That(runs.Any(r => r.BudgetSpent), Is.True);
            Assert.That(await CountAsync(_start.AddSeconds(90)), Is.EqualTo(BackgroundShare));
            Assert.That(runs.Sum(r => r.Synced), Is.EqualTo(BackgroundShare - 1), "one list page, then a read per changed approval");
            Assert.That(next.Synced, Is.EqualTo(11), "the next minute's run reads the approvals the spent one left");
            Assert.That(perForm, Has.Count.EqualTo(60).And.All.EqualTo(1));
        }
    }

    [Test]
    public async Task Submission_AfterTheSyncSpentItsShare_GoesThrough_AndIsCounted()
    {
        var a = Instance();
        for (var i = 0; i < 60; i++)
        {
            await SubmitAsync(a);
        }

        LoseEveryCallback(a);
        Advance(TimeSpan.FromMinutes(1));
        var run = await a.SendAsync(new SyncPendingApprovalsCommand());
        var again = await a.SendAsync(new SyncPendingApprovalsCommand());
        var submitted = await SubmitAsync(a);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.BudgetSpent, Is.True);
            Assert.That(run.Calls, Is.EqualTo(BackgroundShare));
            Assert.That(again.Calls, Is.Zero, "the minute's background share is spent");
            Assert.That(submitted.Submission, Is.EqualTo(SubmissionState.Submitted));
            Assert.That(a.WeCom.CallsTo("applyevent"), Is.EqualTo(61));
            Assert.That(await CountAsync(_start.AddMinutes(1)), Is.EqualTo(BackgroundShare + 1));
        }
    }

    [Test]
    public async Task Submissions_PastTheWholeBudget_AreStillMade_WhileTheSyncWaitsForTheNextMinute()
    {
        var a = Instance();
        for (var i = 0; i < PerMinute + 5; i++)
        {
            await SubmitAsync(a);
        }

        var run = await a.SendAsync(new SyncPendingApprovalsCommand());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.WeCom.CallsTo("applyevent"), Is.EqualTo(PerMinute + 5), "a submission is never refused or held by the budget");
            Assert.That(await CountAsync(_start), Is.EqualTo(PerMinute + 5));
            Assert.That(run.Calls, Is.Zero);
            Assert.That(run.BudgetSpent, Is.True);
        }
    }

    // WeCom moved every form on (approved) and no callback arrived: the list scan finds none pending.
    private static void LoseEveryCallback(TestServices instance)
    {
        foreach (var spNo in instance.WeCom.Forms.Keys)
        {
            instance.WeCom.SetStatus(spNo, 2);
        }
    }

    [TestCase("601", "10")]
    [TestCase("0", "0")]
    [TestCase("60", "60")]
    [TestCase("60", "-1")]
    public void ABudgetOutOfRange_IsRefused_NamingTheKeys(string perMinute, string reserve)
    {
        using var services = new TestServices(_database, new Dictionary<string, string?>
        {
            ["WeCom:CallBudget:PerMinute"] = perMinute, ["WeCom:CallBudget:SubmissionReserve"] = reserve,
        });

        var error = Assert.ThrowsAsync<OptionsValidationException>(() =>
            services.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<IOptions<WeComOptions>>().Value)));

        Assert.That(error!.Message, Does.Contain("WeCom:CallBudget:PerMinute").And.Contain("WeCom:CallBudget:SubmissionReserve"));
    }

    private TestServices Instance(FakeWeComApi? sharedWeCom = null)
    {
        var instance = new TestServices(_database, new Dictionary<string, string?>
        {
            ["WeCom:CorpId"] = "ww1436e0e65a779aee",
            ["WeCom:Secret"] = "secret",
            ["WeCom:Approval:TemplateId"] = "tpl-quote",
            ["WeCom:Approval:Controls:QuoteNumber"] = "Text-quote-no",
            ["WeCom:CallBudget:PerMinute"] = $"{PerMinute}",
            ["WeCom:CallBudget:SubmissionReserve"] = $"{Reserve}",
        }, sharedWeCom);
        instance.Clock.SetUtcNow(_start);
        _instances.Add(instance);
        return instance;
    }

    private void Advance(TimeSpan by) => _instances.ForEach(i => i.Clock.Advance(by));

    private static async Task<QuoteSubmissionDto> SubmitAsync(TestServices instance)
    {
        var quote = await instance.SendAsync(new CreateQuoteCommand("Pumps", "ACME", 100m, "CNY"));
        return await instance.SendAsync(new SubmitQuoteForApprovalCommand(quote.Id, "WangXiaoMing", null, null));
    }

    private async Task<int?> CountAsync(DateTimeOffset inMinute)
    {
        using var db = _database.NewContext();
        var minute = inMinute.ToUnixTimeSeconds() / 60;
        return await db.WeComCallMinutes.Where(m => m.UnixMinute == minute).Select(m => (int?)m.Calls).SingleOrDefaultAsync();
    }
}
