using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CrmIntegration.Simulator;

/// <summary>
/// The simulator in-process on a real Kestrel listener (a free loopback port), for tests. Point the service's
/// WeCom:ApiBaseUrl and MiniProgram:ApiBaseUrl at <see cref="BaseAddress"/>; drive it through <see cref="State"/>.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        State = app.Services.GetRequiredService<SimulatorState>();
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseAddress { get; }

    /// <summary>The state and control object (approve, switches, faults, counters, messages…).</summary>
    public SimulatorState State { get; }

    public SimulatorSettings Settings => State.Settings;

    /// <param name="settings">Credentials, callback URL, templates. Validated: a bad Token or key throws here.</param>
    /// <param name="callbackHandler">
    /// Where callbacks go instead of a socket, e.g. a WebApplicationFactory's <c>Server.CreateHandler()</c>
    /// (then only the callback URL's path and query matter). Not disposed by the host.
    /// </param>
    /// <param name="clock">Token lifetimes, apply_time, CreateTime and callback timestamps; delays stay real time.</param>
    public static async Task<SimulatorHost> StartAsync(SimulatorSettings settings, HttpMessageHandler? callbackHandler = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Simulator",
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        SimulatorApp.ConfigureServices(builder, settings, callbackHandler, clock ?? TimeProvider.System);

        var app = builder.Build();
        SimulatorApp.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>An HttpClient whose BaseAddress is the simulator.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
