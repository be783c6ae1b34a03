namespace CrmIntegration.Application.Common.Models;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

public static class PagedResult
{
    /// <summary>Far beyond any real list, and low enough that (page - 1) * pageSize stays an int: SQL Server refuses a negative OFFSET.</summary>
    public const int MaxPage = 1_000_000;
}
