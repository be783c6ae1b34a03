namespace CrmIntegration.Application.Common.Exceptions;

/// <summary>The use case needs settings that are absent (answered 503, naming the keys).</summary>
public sealed class FeatureNotConfiguredException(string message) : Exception(message);
