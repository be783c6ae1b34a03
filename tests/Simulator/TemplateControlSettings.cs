namespace CrmIntegration.Simulator;

/// <summary>One control of the simulated approval template (oa/gettemplatedetail's template_content.controls[].property).</summary>
public sealed class TemplateControlSettings
{
    /// <summary>The control id, e.g. <c>Text-quote-no</c> (what WeCom:Approval:Controls:QuoteNumber names).</summary>
    public string Id { get; set; } = "";

    /// <summary>Text, Textarea, Number, Money, Date, Selector, Contact, File, …</summary>
    public string Control { get; set; } = "Text";

    public string Title { get; set; } = "";

    public bool Require { get; set; }
}
