using System.Globalization;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using CrmIntegration.Infrastructure.Common;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Persistence.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Approvals.WeCom;

internal sealed class WeComCallbackIngress : IWeComCallbackIngress
{
    private readonly WeComCallbackCrypto? _crypto;
    private readonly WeComCallbackOptions _callback;
    private readonly IServiceScopeFactory _scopes;
    private readonly IDatabaseErrors _errors;
    private readonly WorkSignal _signal;
    private readonly TimeProvider _clock;
    private readonly ILogger<WeComCallbackIngress> _logger;

    public WeComCallbackIngress(
        IOptions<WeComOptions> options,
        IServiceScopeFactory scopes,
        IDatabaseErrors errors,
        [FromKeyedServices(WeComInboxWorker.SignalKey)] WorkSignal signal,
        TimeProvider clock,
        ILogger<WeComCallbackIngress> logger)
    {
        var o = options.Value;
        _crypto = o.CallbacksConfigured ? new WeComCallbackCrypto(o.Token!, o.EncodingAesKey!, o.CorpId!) : null;
        _callback = o.Callback;
        _scopes = scopes;
        _errors = errors;
        _signal = signal;
        _clock = clock;
        _logger = logger;
    }

    public bool IsConfigured => _crypto is not null;

    public string VerifyUrl(string? msgSignature, string? timestamp, string? nonce, string? echostr) =>
        Crypto.VerifyAndDecrypt(msgSignature ?? "", timestamp ?? "", nonce ?? "", echostr ?? "");

    public async Task<CallbackReceipt> ReceiveAsync(string? msgSignature, string? timestamp, string? nonce, string body, CancellationToken ct)
    {
        var encrypt = WeComXml.ReadEncryptEnvelope(body);
        var xml = Crypto.VerifyAndDecrypt(msgSignature ?? "", timestamp ?? "", nonce ?? "", encrypt);
        CheckClockSkew(timestamp!); // after the signature: only then is the timestamp WeCom's
        var message = WeComXml.ParseMessage(xml);

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Inbox.AnyAsync(m => m.EventKey == message.Key, ct))
        {
            // The usual redelivery: answered without an INSERT. Two deliveries at once both get past this check;
            // the unique index keeps one and the other lands in the catch below.
            _logger.LogInformation("WeCom callback {EventKey} was stored before; acknowledged again", message.Key);
            return CallbackReceipt.Duplicate;
        }

        db.Inbox.Add(InboxMessage.Receive(message.Key, message.MsgType, message.Event, xml, _clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (_errors.IsUniqueViolation(e))
        {
            _logger.LogInformation("WeCom callback {EventKey} was stored before; acknowledged again", message.Key);
            return CallbackReceipt.Duplicate;
        }

        _signal.Notify();
        return CallbackReceipt.Stored;
    }

    private WeComCallbackCrypto Crypto =>
        _crypto ?? throw new InvalidOperationException("WeCom callbacks are not configured.");

    private void CheckClockSkew(string timestamp)
    {
        if (_callback.MaxClockSkew == TimeSpan.Zero)
        {
            return;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(_clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > _callback.MaxClockSkew.TotalSeconds)
        {
            throw new WeComCryptoException(WeComErrorCodes.ValidateSignatureError,
                $"The timestamp is more than {_callback.MaxClockSkew} from now (a replay or a wrong clock).");
        }
    }
}
