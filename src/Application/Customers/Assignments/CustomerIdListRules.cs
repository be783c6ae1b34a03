using FluentValidation;

namespace CrmIntegration.Application.Customers.Assignments;

internal static class CustomerIdListRules
{
    /// <summary>Not empty, at most <paramref name="max"/>, no duplicates (named), no empty Guid.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<Guid>> ValidCustomerIds<T>(this IRuleBuilderInitial<T, IReadOnlyList<Guid>> rule, int max) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("'Customer Ids' must list at least one customer.")
            .Must(ids => ids.Count <= max).WithMessage($"'Customer Ids' may list at most {max} customers.")
            .Must(ids => !ids.Contains(Guid.Empty)).WithMessage("'Customer Ids' must not contain an empty id.")
            .Must(ids => ids.Distinct().Count() == ids.Count)
            .WithMessage((_, ids) => $"'Customer Ids' lists some customers more than once: {string.Join(", ", Duplicates(ids))}.");

    private static IEnumerable<Guid> Duplicates(IReadOnlyList<Guid> ids) =>
        ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).Take(20);
}
