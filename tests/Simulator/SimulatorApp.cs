using CrmIntegration.Simulator.Admin;
using CrmIntegration.Simulator.WeChat;
using CrmIntegration.Simulator.WeCom;

namespace CrmIntegration.Simulator;

/// <summary>Wiring shared by <see cref="SimulatorProgram"/> and <see cref="SimulatorHost"/>.</summary>
internal static class SimulatorApp
{
    private const string CallbackClientKey = "callbacks";

    public static void ConfigureServices(WebApplicationBuilder builder, SimulatorSettings settings, HttpMessageHandler? callbackHandler, TimeProvider clock)
    {
        settings.Validate();
        // Request lines carry corpsecret and access_token in the query, callback URLs carry signatures: keep the
        // framework's request and HttpClient logging quiet whatever the configuration says.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        builder.Services.AddSingleton(settings);
        builder.Services.AddKeyedSingleton(CallbackClientKey, (_, _) => callbackHandler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(callbackHandler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan });
        builder.Services.AddSingleton(sp => new SimulatorState(
            settings,
            sp.GetRequiredKeyedService<HttpClient>(CallbackClientKey),
            clock,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("CrmIntegration.Simulator")));
    }

    public static void Map(WebApplication app)
    {
        app.UseMiddleware<FaultMiddleware>();
        app.MapWeComApi();
        app.MapWeChatApi();
        app.MapAdminApi();
    }
}
