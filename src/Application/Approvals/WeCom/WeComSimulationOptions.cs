namespace CrmIntegration.Application.Approvals.WeCom;

/// <summary>Section "WeCom:Simulation": read by the simulate-approval endpoint mapping (never mapped in Production).</summary>
public sealed class WeComSimulationOptions
{
    /// <summary>Maps the seed's simulate-approval endpoint. Unset: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}
