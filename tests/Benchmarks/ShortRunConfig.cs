using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CrmIntegration.Benchmarks;

/// <summary>
/// Sized for a 2-core box: one process, 2 warm-up and 5 measured iterations. In-process because the
/// generated out-of-process project would inherit the repo's central package management and warnings-as-errors
/// and cost a second Release build per run; ratios come from one process either way.
/// </summary>
public class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
        : this(Job.Default)
    {
    }

    protected ShortRunConfig(Job job)
    {
        AddJob(job.WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
