using System.Globalization;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.StoreApprovalCallback;

/// <summary>
/// What WeCom's POST to the callback URL is: verify the signature, decrypt, check the timestamp, and store the message
/// in the inbox before the endpoint answers <c>success</c>, so an acknowledged event is never lost. Failures throw
/// <see cref="WeComCryptoException"/> with WeCom's code and change nothing. The store is <see cref="IInboxWriter"/>'s:
/// concurrent callbacks share one commit, each answered after it. ProcessApprovalCallbacks applies it later.
/// </summary>
public sealed record StoreApprovalCallbackCommand(string? MsgSignature, string? Timestamp, string? Nonce, string Body) : IRequest<CallbackReceipt>;

internal sealed class StoreApprovalCallbackCommandHandler(
    IWeComCallbackCrypto crypto,
    IWeComMessageReader reader,
    IInboxWriter inbox,
    TimeProvider clock,
    IOptions<WeComOptions> options,
    ILogger<StoreApprovalCallbackCommandHandler> logger) : IRequestHandler<StoreApprovalCallbackCommand, CallbackReceipt>
{
    public async Task<CallbackReceipt> Handle(StoreApprovalCallbackCommand command, CancellationToken cancellationToken)
    {
        var encrypt = reader.ReadEncryptEnvelope(command.Body);
        var xml = crypto.VerifyAndDecrypt(command.MsgSignature ?? "", command.Timestamp ?? "", command.Nonce ?? "", encrypt);
        CheckClockSkew(command.Timestamp!); // after the signature: only then is the timestamp WeCom's
        var message = reader.Read(xml);

        // Returns after the commit that holds it (or its twin): WeCom's retries and twins are Duplicate, never stored twice.
        var receipt = await inbox.StoreAsync(
            InboxMessage.Receive(message.Key, message.MsgType, message.Event, xml, clock.GetUtcNow()), cancellationToken);
        if (receipt == CallbackReceipt.Duplicate)
        {
            logger.LogInformation("WeCom callback {EventKey} was stored before; acknowledged again", message.Key);
        }

        return receipt;
    }

    private void CheckClockSkew(string timestamp)
    {
        var maxSkew = options.Value.Callback.MaxClockSkew;
        if (maxSkew == TimeSpan.Zero)
        {
            return;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > maxSkew.TotalSeconds)
        {
            throw new WeComCryptoException(WeComErrorCodes.ValidateSignatureError,
                $"The timestamp is more than {maxSkew.TotalSeconds:0} s from now (a replay or a wrong clock).");
        }
    }
}
