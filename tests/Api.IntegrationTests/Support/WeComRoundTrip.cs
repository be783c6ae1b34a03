using CrmIntegration.Simulator;

namespace CrmIntegration.Api.IntegrationTests.Support;

/// <summary>The service wired to a running WeCom simulator over real HTTP; the simulator's callbacks reach the service.</summary>
internal sealed class WeComRoundTrip : IAsyncDisposable
{
    public const string TemplateId = "tpl-quote";
    public const string NumberControl = "Text-quote-no";

    private WeComRoundTrip(CrmApiFactory factory, SimulatorHost simulator)
    {
        Factory = factory;
        Simulator = simulator;
    }

    public CrmApiFactory Factory { get; }

    public SimulatorHost Simulator { get; }

    public static Task<WeComRoundTrip> StartAsync(Action<CrmApiFactory>? configure = null) =>
        StartAsync((factory, _) => configure?.Invoke(factory));

    /// <summary>As above; <paramref name="configure"/> also sees the simulator (to point the mini-program at its WeChat side).</summary>
    public static async Task<WeComRoundTrip> StartAsync(Action<CrmApiFactory, SimulatorHost> configure)
    {
        var factory = new CrmApiFactory();
        var callbacks = new LateBoundHandler();
        var settings = new SimulatorSettings { CallbackUrl = "http://localhost/wecom/callback", CallbackRetryDelayMilliseconds = 50 };
        var simulator = await SimulatorHost.StartAsync(settings, callbacks, factory.Clock);
        ConfigureFor(simulator, factory);
        configure(factory, simulator);
        _ = factory.Server; // start the service: callbacks need its handler
        callbacks.InnerHandler = factory.Server.CreateHandler();
        return new WeComRoundTrip(factory, simulator);
    }

    /// <summary>The service's WeCom settings as the simulator plays them: its corp, secret, Token, key and the quote template.</summary>
    public static CrmApiFactory ConfigureFor(SimulatorHost simulator, CrmApiFactory factory) => factory
        .With("WeCom:CorpId", simulator.Settings.CorpId).With("WeCom:Secret", simulator.Settings.CorpSecret)
        .With("WeCom:Token", simulator.Settings.Token).With("WeCom:EncodingAesKey", simulator.Settings.EncodingAesKey)
        .With("WeCom:ApiBaseUrl", simulator.BaseAddress.ToString())
        .With("WeCom:Approval:TemplateId", TemplateId)
        .With("WeCom:Approval:Controls:QuoteNumber", NumberControl)
        .With("WeCom:Approval:Controls:Amount", "Money-amount");

    /// <summary>Waits (real time, bounded) until <paramref name="done"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> done, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {seconds} s: {what}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        await Factory.DisposeAsync(); // not Dispose(): blocking on the host's shutdown inside a continuation can deadlock
    }

    private sealed class LateBoundHandler : DelegatingHandler;
}
