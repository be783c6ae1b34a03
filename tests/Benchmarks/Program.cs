using BenchmarkDotNet.Running;

namespace CrmIntegration.Benchmarks;

/// <summary>build/bench.sh runs this in Release; any BenchmarkDotNet argument (e.g. --filter '*Crypto*') passes through.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
