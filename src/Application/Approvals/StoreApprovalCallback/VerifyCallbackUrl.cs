using CrmIntegration.Application.Approvals.Callbacks;
using MediatR;

namespace CrmIntegration.Application.Approvals.StoreApprovalCallback;

/// <summary>
/// WeCom's GET when the callback URL is saved: the decrypted echostr, answered verbatim. A wrong signature throws
/// <see cref="WeComCryptoException"/> with WeCom's code.
/// </summary>
public sealed record VerifyCallbackUrlQuery(string? MsgSignature, string? Timestamp, string? Nonce, string? EchoStr) : IRequest<string>;

internal sealed class VerifyCallbackUrlQueryHandler(IWeComCallbackCrypto crypto) : IRequestHandler<VerifyCallbackUrlQuery, string>
{
    public Task<string> Handle(VerifyCallbackUrlQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(crypto.VerifyAndDecrypt(query.MsgSignature ?? "", query.Timestamp ?? "", query.Nonce ?? "", query.EchoStr ?? ""));
}
