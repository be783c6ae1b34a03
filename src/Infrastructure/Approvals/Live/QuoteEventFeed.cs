using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using CrmIntegration.Application.Approvals.QuoteEvents;
using CrmIntegration.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Infrastructure.Approvals.Live;

/// <summary>
/// Reads <c>quote_status_events</c> after the last row it delivered and fans each row out to this instance's
/// subscribers: woken at once by a save in this process, and polling every <see cref="PollInterval"/> (wall clock)
/// for the saves of other instances. Rows are delivered in <c>seq</c> order; a hole in the sequence (on SQL Server
/// an IDENTITY value whose transaction has not committed yet) is waited for up to <see cref="GapWait"/>, so a
/// late commit is not skipped. SQLite's single writer never leaves one.
/// </summary>
internal sealed class QuoteEventFeed(IServiceScopeFactory scopes, QuoteStatusEventsInterceptor saves, ILogger<QuoteEventFeed> logger)
    : BackgroundService, IQuoteEventFeed
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    internal static readonly TimeSpan GapWait = TimeSpan.FromSeconds(2);
    private const int SubscriberBuffer = 1000;
    private const int PageSize = 500;

    private readonly ConcurrentDictionary<Subscription, byte> _subscribers = new();
    private long _last;
    private long _gapSeenAt;

    public IQuoteEventSubscription Subscribe()
    {
        var subscription = new Subscription(this);
        _subscribers[subscription] = 0;
        return subscription;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _last = await ReadMaxSeqAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                // Wall clock on purpose: other instances' rows are found by polling, whatever the app's TimeProvider does.
                await saves.Signal.WaitAsync(PollInterval, TimeProvider.System, stoppingToken);
                try
                {
                    await PollAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Reading quote status events failed; live clients wait for the next poll");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            foreach (var subscription in _subscribers.Keys)
            {
                subscription.Writer.TryComplete();
            }
        }
    }

    private async Task<long> ReadMaxSeqAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.QuoteStatusEvents.MaxAsync(e => (long?)e.Seq, ct) ?? 0;
    }

    private async Task PollAsync(CancellationToken ct)
    {
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var rows = await db.QuoteStatusEvents.AsNoTracking().Where(e => e.Seq > _last).OrderBy(e => e.Seq).Take(PageSize).ToListAsync(ct);
            foreach (var row in rows)
            {
                if (row.Seq != _last + 1 && !GapWaitedOut())
                {
                    return; // an earlier seq may still commit: look again on the next poll
                }

                _gapSeenAt = 0;
                _last = row.Seq;
                Publish(QuoteStatusEventDto.From(row));
            }

            if (rows.Count < PageSize)
            {
                return;
            }
        }
    }

    private bool GapWaitedOut()
    {
        if (_gapSeenAt == 0)
        {
            _gapSeenAt = Stopwatch.GetTimestamp();
            return false;
        }

        return Stopwatch.GetElapsedTime(_gapSeenAt) >= GapWait;
    }

    private void Publish(QuoteStatusEventDto e)
    {
        foreach (var subscription in _subscribers.Keys)
        {
            if (!subscription.Writer.TryWrite(e))
            {
                // Too far behind: cut it off; the client reconnects with its last id and replays from the store.
                subscription.Writer.TryComplete();
                _subscribers.TryRemove(subscription, out _);
            }
        }
    }

    private sealed class Subscription(QuoteEventFeed feed) : IQuoteEventSubscription
    {
        private readonly Channel<QuoteStatusEventDto> _channel = Channel.CreateBounded<QuoteStatusEventDto>(
            new BoundedChannelOptions(SubscriberBuffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public ChannelWriter<QuoteStatusEventDto> Writer => _channel.Writer;

        public ChannelReader<QuoteStatusEventDto> Events => _channel.Reader;

        public void Dispose()
        {
            feed._subscribers.TryRemove(this, out _);
            _channel.Writer.TryComplete();
        }
    }
}
