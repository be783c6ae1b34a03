namespace CrmIntegration.Benchmarks.Customers;

/// <summary>
/// PLACEHOLDER, not a benchmark (issue 6): "batch assignment of 1,000 and 10,000 customers against 10,000
/// single assignments". The Customers module (AssignCustomer and its batch form) is built on another branch
/// and does not exist here yet. When it lands: a [MemoryDiagnoser] class on the same OneInvocationConfig and
/// SQLite file as HandleApprovalCallbackBenchmarks, with [Params(1_000, 10_000)] batch sizes, the 10,000 single
/// AssignCustomer sends as [Benchmark(Baseline = true)], and OperationsPerInvoke = customers assigned.
/// </summary>
internal static class CustomerAssignmentBenchmarksPlaceholder
{
}
