namespace CrmIntegration.Simulator;

/// <summary>
/// <c>dotnet run --project tests/Simulator</c>: listens on http://localhost:5090 unless <c>--urls</c> or
/// ASPNETCORE_URLS says otherwise; settings from the "Simulator" section (appsettings.json, Simulator__… variables).
/// </summary>
public static class SimulatorProgram
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(SimulatorSettings.DefaultUrl);
        }

        var settings = builder.Configuration.GetSection(SimulatorSettings.Section).Get<SimulatorSettings>() ?? new SimulatorSettings();
        SimulatorApp.ConfigureServices(builder, settings, callbackHandler: null, TimeProvider.System);
        await using var app = builder.Build();
        SimulatorApp.Map(app);
        await app.StartAsync();
        var state = app.Services.GetRequiredService<SimulatorState>();
        SimulatorLog.Started(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CrmIntegration.Simulator"),
            string.Join(", ", app.Urls), state.CallbackUrl);
        await app.WaitForShutdownAsync();
    }
}
