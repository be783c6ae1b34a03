namespace CrmIntegration.Domain.Customers;

/// <summary>How a customer reached its owner; the API spells them web, miniprogram, batch, public_pool.</summary>
public enum AssignmentChannel
{
    Web,
    Miniprogram,
    Batch,
    PublicPool,
}
