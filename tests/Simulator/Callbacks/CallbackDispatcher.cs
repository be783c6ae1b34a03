using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using CrmIntegration.Simulator.State;
using Microsoft.AspNetCore.WebUtilities;

namespace CrmIntegration.Simulator.Callbacks;

/// <summary>
/// Signs, encrypts and POSTs callbacks the way WeCom does (docs/wecom.md §2-3), through the drop, duplicate, delay and
/// reorder switches. A delivery without HTTP 200 is retried <see cref="SimulatorSettings.CallbackRetries"/> times.
/// </summary>
internal sealed class CallbackDispatcher
{
    private readonly Lock _gate = new();
    private readonly SimulatorSettings _settings;
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly WeComCallbackCrypto _crypto;
    private readonly List<CallbackDelivery> _deliveries = [];
    private Uri _url;
    private long _sequence;
    private int _nonce = 100_000;
    private int _dropNext;
    private int _duplicateNext;
    private int _delayMilliseconds;
    private bool _reorderNext;
    private PendingCallback? _held;

    public CallbackDispatcher(SimulatorSettings settings, HttpClient http, TimeProvider clock, ILogger logger)
    {
        _settings = settings;
        _http = http;
        _clock = clock;
        _logger = logger;
        _crypto = new WeComCallbackCrypto(settings.Token, settings.EncodingAesKey, settings.CorpId);
        _url = new Uri(settings.CallbackUrl, UriKind.Absolute);
    }

    public Uri Url
    {
        get
        {
            lock (_gate)
            {
                return _url;
            }
        }

        set
        {
            lock (_gate)
            {
                _url = value;
            }
        }
    }

    public IReadOnlyList<CallbackDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    public CallbackSwitches Switches
    {
        get
        {
            lock (_gate)
            {
                return new CallbackSwitches(_dropNext, _duplicateNext, _delayMilliseconds, _reorderNext, _held is not null);
            }
        }
    }

    public void DropNext(int count)
    {
        lock (_gate)
        {
            _dropNext = Math.Max(0, count);
        }
    }

    public void DuplicateNext(int count)
    {
        lock (_gate)
        {
            _duplicateNext = Math.Max(0, count);
        }
    }

    public void Delay(int milliseconds)
    {
        lock (_gate)
        {
            _delayMilliseconds = Math.Max(0, milliseconds);
        }
    }

    public void ReorderNext(bool on = true)
    {
        lock (_gate)
        {
            _reorderNext = on;
        }
    }

    /// <summary>Sends <paramref name="message"/> through the switches; completes when every resulting POST is done.</summary>
    public async Task<IReadOnlyList<CallbackDelivery>> DispatchAsync(string eventName, string key, string message)
    {
        int copies;
        int delay;
        PendingCallback? releasedHeld;
        var pending = new PendingCallback(eventName, key, message);
        lock (_gate)
        {
            if (_dropNext > 0)
            {
                _dropNext--;
                return [Record(pending, CallbackOutcome.Dropped, 0, null, null, null)];
            }

            copies = 1;
            if (_duplicateNext > 0)
            {
                _duplicateNext--;
                copies = 2;
            }

            if (_reorderNext && _held is null)
            {
                _reorderNext = false;
                _held = pending with { Copies = copies };
                return [Record(pending, CallbackOutcome.Held, 0, null, null, null)];
            }

            releasedHeld = _held;
            _held = null;
            delay = _delayMilliseconds;
        }

        if (delay > 0)
        {
            await Task.Delay(delay);
        }

        // Twins arrive at the same instant (docs/wecom.md §3): both copies are in flight together.
        var results = (await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => DeliverAsync(pending, _settings.CallbackRetries))))
            .SelectMany(r => r).ToList();
        if (releasedHeld is not null)
        {
            results.AddRange(await ReleaseAsync(releasedHeld));
        }

        return results;
    }

    /// <summary>Delivers a callback held by the reorder switch now, if there is one.</summary>
    public async Task<IReadOnlyList<CallbackDelivery>> FlushHeldAsync()
    {
        PendingCallback? held;
        lock (_gate)
        {
            held = _held;
            _held = null;
        }

        return held is null ? [] : await ReleaseAsync(held);
    }

    /// <summary>One signed POST of <paramref name="message"/>, bypassing the switches and retries.</summary>
    public async Task<CallbackDelivery> SendOnceAsync(string eventName, string key, string message, Uri? url = null) =>
        (await DeliverAsync(new PendingCallback(eventName, key, message), retries: 0, url)).Single();

    /// <summary>WeCom's "save and test": GET with a signed, encrypted echostr; the plaintext must come back verbatim.</summary>
    public async Task<CallbackUrlCheck> CheckUrlAsync(Uri? url = null)
    {
        var target = url ?? Url;
        var expected = WxIds.NineteenDigits();
        var signed = _crypto.EncryptAndSign(expected, Timestamp(), NextNonce());
        var requestUri = QueryHelpers.AddQueryString(target.ToString(), new Dictionary<string, string?>
        {
            ["msg_signature"] = signed.MsgSignature,
            ["timestamp"] = signed.Timestamp,
            ["nonce"] = signed.Nonce,
            ["echostr"] = signed.Encrypt, // escaped once here (%2B %2F %3D), as WeCom sends it
        });

        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_settings.CallbackTimeoutMilliseconds));
            using var response = await _http.GetAsync(requestUri, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var ok = (int)response.StatusCode == StatusCodes.Status200OK && string.Equals(body, expected, StringComparison.Ordinal);
            return new CallbackUrlCheck(ok, target.ToString(), (int)response.StatusCode, expected, body, watch.ElapsedMilliseconds, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return new CallbackUrlCheck(false, target.ToString(), null, expected, null, watch.ElapsedMilliseconds, e.GetType().Name + ": " + e.Message);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _deliveries.Clear();
            _dropNext = 0;
            _duplicateNext = 0;
            _delayMilliseconds = 0;
            _reorderNext = false;
            _held = null;
            _url = new Uri(_settings.CallbackUrl, UriKind.Absolute);
        }
    }

    private async Task<IReadOnlyList<CallbackDelivery>> ReleaseAsync(PendingCallback held)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, held.Copies).Select(_ => DeliverAsync(held, _settings.CallbackRetries)));
        return [.. results.SelectMany(r => r)];
    }

    private async Task<IReadOnlyList<CallbackDelivery>> DeliverAsync(PendingCallback callback, int retries, Uri? url = null)
    {
        var attempts = new List<CallbackDelivery>();
        var target = url ?? Url;
        for (var attempt = 1; attempt <= retries + 1; attempt++)
        {
            var delivery = await PostAsync(callback, target, attempt);
            attempts.Add(delivery);
            if (delivery.Outcome == CallbackOutcome.Delivered || attempt == retries + 1)
            {
                break;
            }

            await Task.Delay(_settings.CallbackRetryDelayMilliseconds);
        }

        return attempts;
    }

    private async Task<CallbackDelivery> PostAsync(PendingCallback callback, Uri target, int attempt)
    {
        var signed = _crypto.EncryptAndSign(callback.Message, Timestamp(), NextNonce());
        var envelope = WeComXml.BuildEnvelope(signed.Encrypt, _settings.CorpId, _settings.AgentId);
        var requestUri = QueryHelpers.AddQueryString(target.ToString(), new Dictionary<string, string?>
        {
            ["msg_signature"] = signed.MsgSignature,
            ["timestamp"] = signed.Timestamp,
            ["nonce"] = signed.Nonce,
        });

        using var content = new StringContent(envelope, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        try
        {
            // WeCom gives up after 5 s and counts that as a failed delivery.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_settings.CallbackTimeoutMilliseconds));
            using var response = await _http.PostAsync(requestUri, content, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var outcome = status == StatusCodes.Status200OK ? CallbackOutcome.Delivered : CallbackOutcome.Rejected;
            SimulatorLog.CallbackSent(_logger, callback.Event, callback.Key, attempt, status);
            return Record(callback, outcome, attempt, status, body, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            SimulatorLog.CallbackFailed(_logger, callback.Event, callback.Key, attempt, e.GetType().Name);
            return Record(callback, CallbackOutcome.Failed, attempt, null, null, e.GetType().Name + ": " + e.Message);
        }
    }

    private CallbackDelivery Record(PendingCallback callback, CallbackOutcome outcome, int attempt, int? status, string? body, string? error)
    {
        lock (_gate)
        {
            var delivery = new CallbackDelivery(++_sequence, callback.Event, callback.Key, outcome, attempt, status, body, error,
                _clock.GetUtcNow(), callback.Message);
            _deliveries.Add(delivery);
            return delivery;
        }
    }

    private string Timestamp() => _clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private string NextNonce() => Interlocked.Increment(ref _nonce).ToString(CultureInfo.InvariantCulture);

    private sealed record PendingCallback(string Event, string Key, string Message)
    {
        public int Copies { get; init; } = 1;
    }
}
