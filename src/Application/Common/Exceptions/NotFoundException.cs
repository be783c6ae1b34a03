namespace CrmIntegration.Application.Common.Exceptions;

public sealed class NotFoundException : Exception
{
    public NotFoundException(string entity, object key)
        : base($"{entity} '{key}' was not found.")
    {
        Entity = entity;
    }

    /// <summary>Several items of a batch were not found: the batch fails as a whole and names them.</summary>
    public NotFoundException(string entity, IReadOnlyCollection<Guid> keys)
        : base(keys.Count == 1 ? $"{entity} '{keys.First()}' was not found." : $"{keys.Count} {entity} ids were not found.")
    {
        Entity = entity;
        Ids = keys;
    }

    public string Entity { get; }

    /// <summary>For a batch: every id that was not found.</summary>
    public IReadOnlyCollection<Guid>? Ids { get; }
}
