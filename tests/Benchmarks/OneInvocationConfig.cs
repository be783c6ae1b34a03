using BenchmarkDotNet.Jobs;

namespace CrmIntegration.Benchmarks;

/// <summary>For benchmarks that need fresh data per iteration ([IterationSetup]): one invocation of a whole batch.</summary>
public sealed class OneInvocationConfig : ShortRunConfig
{
    public OneInvocationConfig()
        : base(Job.Default.WithInvocationCount(1).WithUnrollFactor(1))
    {
    }
}
