namespace CrmIntegration.LoadTool;

/// <summary>One POST as WeCom would send it: the query string (signature, timestamp, nonce) and the XML envelope.</summary>
internal sealed record SignedCallback(string PathAndQuery, string Body);
