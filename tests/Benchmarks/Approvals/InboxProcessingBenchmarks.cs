using System.Globalization;
using BenchmarkDotNet.Attributes;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Work;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CrmIntegration.Benchmarks.Approvals;

/// <summary>
/// The callback inbox drained as the worker drains it (ProcessApprovalCallbacks: claim a batch of 20 with a lease,
/// apply each event, record how it ended), against the same events sent straight to HandleApprovalCallback (the
/// baseline: what applying costs without the queue). Both on a migrated SQLite file in WAL mode with synchronous=FULL,
/// as production configures it. Each iteration applies <see cref="Events"/> events (40 quotes: pending, pending,
/// approved); Ops/s is events per second.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneInvocationConfig))]
public class InboxProcessingBenchmarks
{
    public const int Events = 400;
    public const int Quotes = 40;

    private BenchmarkDatabase _database = null!;
    private ServiceProvider _services = null!;
    private (string Key, string Xml, ApprovalEvent Event)[] _batch = [];
    private int _batchNumber;
    private DateTimeOffset _clock = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        _database = new BenchmarkDatabase(s =>
        {
            s.AddScoped(typeof(IWorkQueue<>), typeof(WorkQueue<>));
            s.AddSingleton<IWeComMessageReader, WeComMessageReader>();
        });
        _services = _database.Services;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
    }

    [IterationSetup(Target = nameof(Direct))]
    public void NewDirectBatch() => _batch = CreateBatch(store: false);

    [IterationSetup(Target = nameof(ThroughTheInbox))]
    public void NewStoredBatch() => _batch = CreateBatch(store: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "HandleApprovalCallback, sent directly")]
    public int Direct()
    {
        var applied = 0;
        foreach (var (_, _, e) in _batch)
        {
            using var scope = _services.CreateScope();
            applied += scope.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new HandleApprovalCallbackCommand(e, TimelineSource.Callback)).GetAwaiter().GetResult().Duplicate ? 0 : 1;
        }

        return applied;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Stored callbacks drained by ProcessApprovalCallbacks")]
    public int ThroughTheInbox()
    {
        var taken = 0;
        int claimed;
        do
        {
            using var scope = _services.CreateScope();
            claimed = scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ProcessApprovalCallbacksCommand()).GetAwaiter().GetResult();
            taken += claimed;
        }
        while (claimed > 0);

        return taken == Events ? taken : throw new InvalidOperationException($"Drained {taken} of {Events}.");
    }

    private (string Key, string Xml, ApprovalEvent Event)[] CreateBatch(bool store)
    {
        var batch = Interlocked.Increment(ref _batchNumber);
        var numbers = Enumerable.Range(0, Quotes).Select(q => string.Create(CultureInfo.InvariantCulture, $"BENCH-{batch:D5}-{q:D3}")).ToArray();
        var events = new List<(string, string, ApprovalEvent)>(Events);
        const int perQuote = Events / Quotes;
        for (var step = 0; step < perQuote; step++)
        {
            _clock = _clock.AddSeconds(1);
            var status = step == perQuote - 1 ? 2 : 1;
            foreach (var number in numbers)
            {
                var xml = CallbackMessages.OpenApprovalChange(number, status, _clock.ToUnixTimeSeconds(), step);
                var message = WeComXml.ParseMessage(xml);
                events.Add((message.Key, xml, message.Approval!));
            }
        }

        using var scope = _services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var number in numbers)
        {
            db.Quotes.Add(Quote.Create(number, "Benchmark quote", "Benchmark customer", 1000m, "CNY", _clock));
        }

        if (store)
        {
            // Received in the order WeCom sent them; due at once.
            var received = DateTimeOffset.UtcNow.AddMinutes(-1);
            foreach (var (key, xml, _) in events)
            {
                db.Inbox.Add(InboxMessage.Receive(key, "event", "open_approval_change", xml, received = received.AddTicks(10)));
            }
        }

        db.SaveChanges();
        return [.. events];
    }
}
