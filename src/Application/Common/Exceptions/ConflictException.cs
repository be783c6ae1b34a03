namespace CrmIntegration.Application.Common.Exceptions;

/// <summary>A concurrent change got there first; answered 409. The caller may read again and retry.</summary>
public sealed class ConflictException(string message, Exception? inner = null) : Exception(message, inner);
