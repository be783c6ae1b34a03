using System.Threading.Channels;
using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Approvals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

/// <summary>
/// Group commit for acknowledgements: every callback request queues its message here and waits; one writer takes
/// what is waiting (up to <see cref="MaxBatch"/>), writes it in one transaction (<see cref="IInboxBatchWriter"/>, the provider's) and only
/// after that commit answers each waiting request (Stored or Duplicate). While one commit's fsync runs the next
/// requests queue up, so concurrent callbacks share commits without a timer. A failed write fails exactly the
/// requests of that batch (500, nothing acknowledged); the writer goes on with the next. On shutdown it takes no new
/// message, writes what is queued, and fails what is left if the host's shutdown time runs out.
/// </summary>
internal sealed class InboxWriter(
    IServiceScopeFactory scopes, InboxBatchWriterOpener open, IWorkSignals signals, IDatabaseWriteGate writes, ILogger<InboxWriter> logger)
    : IInboxWriter, IHostedService, IAsyncDisposable
{
    public const int MaxBatch = 256;
    private const int QueueCapacity = 4096;

    private readonly Channel<PendingCallback> _queue = Channel.CreateBounded<PendingCallback>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _startLock = new();
    private volatile Task? _loop;
    private int _disposed;
    private int _inBatch;

    /// <summary>Messages waiting for the writer (not counting the batch being written): for tests.</summary>
    internal int Queued => _queue.Reader.Count;

    /// <summary>Messages not yet answered: queued, or in the batch being written. For tests.</summary>
    internal int Waiting => _queue.Reader.Count + Volatile.Read(ref _inBatch);
    public async Task<CallbackReceipt> StoreAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        EnsureStarted();
        var pending = new PendingCallback(message);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new InboxWriteException("The service is stopping: the callback was not stored.", e);
        }

        // The client may give up (499); the message stays queued and is written all the same (a redelivery is a duplicate).
        return await pending.Receipt.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        return Task.CompletedTask;
    }

    /// <summary>Takes no new message; writes what is queued until <paramref name="cancellationToken"/>, then fails the rest.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        var loop = _loop;
        if (loop is null)
        {
            return;
        }

        try
        {
            await loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync();
            await loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _abort.CancelAsync();
        if (_loop is { } loop)
        {
            await loop;
        }

        _abort.Dispose();
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_loop is null && Volatile.Read(ref _disposed) == 0)
            {
                // Not the first request's trace, log scope or cancellation: the writer belongs to no request.
                using (ExecutionContext.SuppressFlow())
                {
                    _loop = Task.Run(RunAsync);
                }
            }
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingCallback>(MaxBatch);
        IInboxBatchWriter? writer = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                Volatile.Write(ref _inBatch, batch.Count);

                try
                {
                    _abort.Token.ThrowIfCancellationRequested();
                    writer ??= await open(scopes, _abort.Token);
                    bool stored;
                    using (await writes.EnterToAcknowledgeAsync(_abort.Token)) // the processor hands over after its event in hand (ADR-29): no busy-handler sleep
                    {
                        stored = await writer.WriteAsync(batch, _abort.Token);
                    }

                    if (stored)
                    {
                        signals.Notify(WorkKind.ApprovalCallbacks);
                    }
                }
                catch (Exception e)
                {
                    // Each waiting request fails with its own exception: the API's exception handler logs each 500 once,
                    // with this error inside. The connection may be broken: the next batch opens a new one.
                    logger.LogDebug(e, "Inbox write of {Count} callback(s) failed; their requests are answered with an error", batch.Count);
                    var reason = _abort.IsCancellationRequested ? "The service stopped before the callback was stored." : "The callback could not be stored.";
                    foreach (var pending in batch)
                    {
                        pending.Fail(new InboxWriteException(reason, e));
                    }

                    if (writer is not null)
                    {
                        await writer.DisposeAsync();
                        writer = null;
                    }
                }

                Volatile.Write(ref _inBatch, 0);
                batch.Clear();
            }
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }
        }
    }
}

/// <summary>One queued callback and the request waiting for its commit.</summary>
internal sealed class PendingCallback(InboxMessage message)
{
    // Asynchronous continuations: completing a batch must not run the waiting requests' pipelines on the writer.
    private readonly TaskCompletionSource<CallbackReceipt> _receipt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InboxMessage Message { get; } = message;

    public Task<CallbackReceipt> Receipt => _receipt.Task;

    public void Complete(CallbackReceipt receipt) => _receipt.TrySetResult(receipt);

    public void Fail(Exception exception) => _receipt.TrySetException(exception);
}
