using System.ComponentModel.DataAnnotations;

namespace CrmIntegration.Application.Customers;

public sealed class CustomersOptions
{
    public const string Section = "Customers";

    /// <summary>Largest list of customer ids a batch or public-pool assignment takes.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 10_000;

    [Range(1, 500)]
    public int MaxPageSize { get; set; } = 100;
}
