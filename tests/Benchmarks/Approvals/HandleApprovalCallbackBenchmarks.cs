using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using CrmIntegration.Infrastructure.Persistence;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Benchmarks.Approvals;

/// <summary>
/// HandleApprovalCallback as the inbox processor runs it: one DI scope and one MediatR send (logging,
/// validation) per event, sequentially, on a migrated SQLite file in WAL mode as production configures it.
/// Each iteration sends <see cref="Events"/> events; Ops/s is events per second.
/// The baseline replays events already recorded, so only the dedupe lookup runs.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneInvocationConfig))]
public class HandleApprovalCallbackBenchmarks
{
    public const int Events = 400;
    public const int Quotes = 40; // 10 events per quote, as in the flood suite

    private BenchmarkDatabase _database = null!;
    private ServiceProvider _services = null!;
    private ApprovalEvent[] _recorded = [];
    private ApprovalEvent[] _batch = [];
    private int _batchNumber;
    private DateTimeOffset _clock = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        _database = new BenchmarkDatabase();
        _services = _database.Services;

        _recorded = CreateMatchedBatch();
        SendAll(_recorded);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
    }

    [IterationSetup(Target = nameof(Matched))]
    public void NewMatchedBatch() => _batch = CreateMatchedBatch();

    [IterationSetup(Target = nameof(Unmatched))]
    public void NewUnmatchedBatch() => _batch = CreateUnmatchedBatch();

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "Duplicates (dedupe path)")]
    public int Duplicates() => SendAll(_recorded);

    [Benchmark(OperationsPerInvoke = Events, Description = "sys_approval_change, unmatched sp_no")]
    public int Unmatched() => SendAll(_batch);

    [Benchmark(OperationsPerInvoke = Events, Description = "open_approval_change over 40 quotes")]
    public int Matched() => SendAll(_batch);

    private int SendAll(ApprovalEvent[] events)
    {
        var recorded = 0;
        foreach (var e in events)
        {
            using var scope = _services.CreateScope();
            var result = scope.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new HandleApprovalCallbackCommand(e, TimelineSource.Callback)).GetAwaiter().GetResult();
            recorded += result.Duplicate ? 0 : 1;
        }

        return recorded;
    }

    /// <summary>
    /// <see cref="Quotes"/> new draft quotes and, per quote, pending (opens the approval), pending again
    /// (unchanged, a later step), then approved: applied, unchanged and applied outcomes in one mix.
    /// </summary>
    private ApprovalEvent[] CreateMatchedBatch()
    {
        var batch = Interlocked.Increment(ref _batchNumber);
        var numbers = Enumerable.Range(0, Quotes)
            .Select(q => string.Create(CultureInfo.InvariantCulture, $"BENCH-{batch:D5}-{q:D3}")).ToArray();
        using (var scope = _services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var number in numbers)
            {
                db.Quotes.Add(Quote.Create(number, "Benchmark quote", "Benchmark customer", 1000m, "CNY", _clock));
            }

            db.SaveChanges();
        }

        const int perQuote = Events / Quotes;
        var events = new List<ApprovalEvent>(Events);
        for (var step = 0; step < perQuote; step++)
        {
            _clock = _clock.AddSeconds(1);
            var status = step == perQuote - 1 ? 2 : 1;
            events.AddRange(numbers.Select(n =>
                Parse(CallbackMessages.OpenApprovalChange(n, status, _clock.ToUnixTimeSeconds(), step))));
        }

        return [.. events];
    }

    private ApprovalEvent[] CreateUnmatchedBatch()
    {
        var batch = Interlocked.Increment(ref _batchNumber);
        _clock = _clock.AddSeconds(1);
        return [.. Enumerable.Range(0, Events).Select(i => Parse(CallbackMessages.SysApprovalChange(
            string.Create(CultureInfo.InvariantCulture, $"9{batch:D6}{i:D5}"), _clock.ToUnixTimeSeconds())))];
    }

    private static ApprovalEvent Parse(string xml) =>
        WeComXml.ParseMessage(xml).Approval ?? throw new InvalidOperationException("Not an approval event.");
}
