using System.Text.Json.Nodes;

namespace CrmIntegration.Simulator.State;

/// <summary>A system approval form (oa/applyevent) as WeCom holds it. Mutated only under the state's lock.</summary>
internal sealed class Approval
{
    public required string SpNo { get; init; }

    public required string SpName { get; init; }

    public required string TemplateId { get; init; }

    public required string Creator { get; init; }

    public string Party { get; init; } = "1";

    public required long ApplyTime { get; init; }

    public int SpStatus { get; set; } = ApprovalStatus.Pending;

    public required List<ApproverNode> Nodes { get; init; }

    public required List<string> Notifyers { get; init; }

    public required int NotifyType { get; init; }

    /// <summary>apply_data.contents exactly as submitted.</summary>
    public required JsonArray Contents { get; init; }

    public JsonArray? SummaryList { get; init; }

    public ApprovalSnapshot Snapshot() => new(
        SpNo, SpName, TemplateId, Creator, SpStatus, DateTimeOffset.FromUnixTimeSeconds(ApplyTime),
        [.. Nodes.SelectMany(n => n.Details).Select(d => d.UserId)], [.. Notifyers],
        Contents.DeepClone().AsArray());
}
