using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Common.Interfaces;

/// <summary>Reads provider errors without Application knowing the provider.</summary>
public interface IDatabaseErrors
{
    /// <summary>True when the save failed on a unique index: a concurrent twin got there first.</summary>
    bool IsUniqueViolation(DbUpdateException exception);
}
