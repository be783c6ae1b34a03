namespace CrmIntegration.Application.Approvals.WeCom;

public sealed class WeComSimulationOptions
{
    /// <summary>Maps the seed's simulate-approval endpoint. Unset: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}
