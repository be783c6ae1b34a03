using System.Threading.Channels;

namespace CrmIntegration.Infrastructure.Common;

/// <summary>
/// Wakes a background worker at once when work arrives in this process; the worker still polls, so work
/// stored by another instance, or due for retry later, is picked up too.
/// </summary>
public sealed class WorkSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified or when <paramref name="timeout"/> has passed on <paramref name="clock"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        if (_channel.Reader.TryRead(out _))
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(timeout, clock, stop.Token);
        var notified = _channel.Reader.WaitToReadAsync(stop.Token).AsTask();
        await Task.WhenAny(delay, notified);
        await stop.CancelAsync();
        _channel.Reader.TryRead(out _);
        ct.ThrowIfCancellationRequested();
    }
}
