namespace CrmIntegration.Infrastructure.Approvals.WeCom.Api;

/// <summary>oa/gettemplatedetail, as far as the integration check reads it.</summary>
internal sealed record WeComTemplateDetail(string? Name, IReadOnlyList<WeComTemplateControl> Controls);

/// <summary>One control: its id (what WeCom:Approval:Controls:* name), its kind (Text, Money, …) and its title.</summary>
internal sealed record WeComTemplateControl(string Id, string Control, string? Title);
