using CrmIntegration.Application.Common.Work;
using System.Threading.Channels;
using CrmIntegration.Application.Admin.GetOperationsOverview;
using CrmIntegration.Application.Admin.IntegrationCheck;
using CrmIntegration.Application.Approvals.QuoteEvents;
using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using CrmIntegration.Infrastructure.Approvals.WeCom.Budget;
using CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;
using CrmIntegration.Application.Approvals.StoreApprovalCallback;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Work;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Application.UnitTests.Support;

/// <summary>The Application layer as production wires it, over a <see cref="TestDatabase"/> and a fake clock.</summary>
public sealed class TestServices : IDisposable
{
    private readonly ServiceProvider _provider;

    public TestServices(TestDatabase database, IDictionary<string, string?>? settings = null, FakeWeComApi? sharedWeCom = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero));
        WeCom = sharedWeCom ?? new FakeWeComApi(Clock);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection()
            .AddLogging(l => l.AddProvider(Logs))
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(Clock)
            .AddApplication();
        services.AddScoped(_ => database.NewContext());
        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
        services.AddScoped(typeof(IWorkQueue<>), typeof(WorkQueue<>)); // the real queue: its SQL is what the tests exercise
        services.AddSingleton<IWeComMessageReader, WeComMessageReader>();
        services.AddSingleton<IEmployeeNotificationSender, NoEmployeeNotificationSender>(); // delivery is tested end to end
        services.AddSingleton<IWeComCallbackCrypto>(_ => throw new NotSupportedException("Callbacks are tested end to end."));
        services.AddSingleton<InboxBatchWriterOpener>(InboxBatchWriters.ForProviderAsync);
        services.AddSingleton<IInboxWriter, InboxWriter>(); // the callback use case's (tested end to end; InboxWriterTests alone)
        services.AddSingleton<IDatabaseErrors, DatabaseErrors>();
        services.AddSingleton<IDatabaseWriteGate, SqliteWriteGate>();
        services.AddSingleton<IWeComApi>(WeCom);
        services.AddScoped<IWeComCallCounter, WeComCallCounter>(); // the real counter: its SQL is what the budget tests exercise
        services.AddSingleton<IWorkSignals>(Signal);
        services.AddSingleton<IQuoteEventFeed, SilentQuoteEventFeed>();
        services.AddSingleton<ITestNotificationSender, NoTestNotificationSender>(); // the integration check's; tested end to end
        services.AddSingleton<IInboxStatistics, NoInboxStatistics>(); // the overview's; tested end to end
        services.AddSingleton<IOperationsProbe, NoOperationsProbe>(); // the overview's; tested end to end
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>Every log entry the handlers wrote.</summary>
    public ListLoggerProvider Logs { get; } = new();

    public FakeWeComApi WeCom { get; }
    /// <summary>Counts the dispatcher wake-ups handlers ask for.</summary>
    public CountingSignal Signal { get; } = new();

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope, as one use case would.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public void Dispose() => _provider.Dispose();


    private sealed class NoInboxStatistics : IInboxStatistics
    {
        public Task<InboxStatistics> ReadAsync(IReadOnlyList<DateTimeOffset> minuteStarts, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The inbox is Infrastructure's.");
    }

    private sealed class NoOperationsProbe : IOperationsProbe
    {
        public OperationsSnapshot Read() => throw new NotSupportedException("The backlogs are read by Infrastructure.");

        public Task<OperationsSnapshot> ReadFreshAsync(CancellationToken cancellationToken) => Task.FromResult(Read());
    }

    private sealed class NoEmployeeNotificationSender : IEmployeeNotificationSender
    {
        public Task<IReadOnlyList<SendResult>> SendAsync(IReadOnlyList<OutgoingNotification> notifications, CancellationToken cancellationToken) =>
            throw new NotSupportedException("No WeChat in unit tests.");
    }

    private sealed class NoTestNotificationSender : ITestNotificationSender
    {
        public Task<SendResult> SendAsync(string openId, CancellationToken cancellationToken) =>
            throw new NotSupportedException("No WeChat in unit tests.");
    }
}

/// <summary>A live feed that never publishes: use cases under test do not stream.</summary>
internal sealed class SilentQuoteEventFeed : IQuoteEventFeed
{
    public IQuoteEventSubscription Subscribe() => new Subscription();

    private sealed class Subscription : IQuoteEventSubscription
    {
        private readonly Channel<QuoteStatusEventDto> _channel = Channel.CreateUnbounded<QuoteStatusEventDto>();

        public ChannelReader<QuoteStatusEventDto> Events => _channel.Reader;

        public void Dispose() => _channel.Writer.TryComplete();
    }
}
