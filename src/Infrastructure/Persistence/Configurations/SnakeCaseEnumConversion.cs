using CrmIntegration.Application.Common.Models;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmIntegration.Infrastructure.Persistence.Configurations;

internal static class SnakeCaseEnumConversion
{
    /// <summary>Stores the enum as the API spells it ("public_pool", "not_subscribed").</summary>
    public static PropertyBuilder<TEnum> HasSnakeCaseConversion<TEnum>(this PropertyBuilder<TEnum> property, int maxLength = 32)
        where TEnum : struct, Enum =>
        property.HasConversion(v => SnakeCaseEnum.Name(v), s => SnakeCaseEnum.Parse<TEnum>(s)).HasMaxLength(maxLength);
}
