using System.Text.Json.Nodes;

namespace CrmIntegration.Simulator.State;

/// <summary>A copy of a system approval at one moment.</summary>
public sealed record ApprovalSnapshot(
    string SpNo,
    string SpName,
    string TemplateId,
    string Creator,
    int SpStatus,
    DateTimeOffset ApplyTime,
    IReadOnlyList<string> Approvers,
    IReadOnlyList<string> Notifyers,
    JsonArray Contents)
{
    /// <summary>The value of a Text, Number or Money control, or null.</summary>
    public string? ControlValue(string controlId)
    {
        var control = Contents.OfType<JsonObject>()
            .FirstOrDefault(c => string.Equals((string?)c["id"], controlId, StringComparison.Ordinal));
        var value = control?["value"] as JsonObject;
        return (value?["text"] ?? value?["new_number"] ?? value?["new_money"])?.ToString();
    }
}
