namespace CrmIntegration.LoadTool;

internal sealed record QuoteRef(Guid Id, string Number);
