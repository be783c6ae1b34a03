using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Application.Common.Behaviours;

/// <summary>Opens a log scope per request: its name and a correlation id, never its content.</summary>
internal sealed class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var correlationId = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["Command"] = typeof(TRequest).Name,
            ["CorrelationId"] = correlationId,
        });
        // Never log the request: callback ciphertext and tokens travel in it.
        return await next();
    }
}
