using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Domain.Common;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Application.Common.Behaviours;

/// <summary>Logs what no rule or validator explains, by type and name only, and rethrows.</summary>
internal sealed class UnhandledExceptionBehaviour<TRequest, TResponse>(ILogger<UnhandledExceptionBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        try
        {
            return await next();
        }
        catch (Exception e) when (e is not (ValidationException or NotFoundException or BusinessRuleException
                                      or ForbiddenAccessException or ConflictException or OperationCanceledException
                                      or FeatureNotConfiguredException // a feature switched off (said at start-up): 503, not a fault
                                      or WeComCryptoException // a callback WeCom's rules refuse: the sender's mistake, WeCom's code
                                      or WeComApiException or WeComApiUnavailableException // WeCom's failure, logged with its errcode by the client; the caller decides
                                      or InboxWriteException)) // a 500 the API's exception handler logs once per request, the database's error inside
        {
            logger.LogError(e, "{Command} failed with {ExceptionType}", typeof(TRequest).Name, e.GetType().Name);
            throw;
        }
    }
}
