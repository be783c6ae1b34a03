using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CrmIntegration.Api.Telemetry;

/// <summary>
/// Serilog from the <c>Serilog</c> section (levels, enrichers, extra sinks), plus the console sink, whose format is
/// chosen by the same key ASP.NET Core's own console logger uses: <c>Logging:Console:FormatterName</c> =
/// <c>simple</c> (text, the default) or <c>json</c> (one compact JSON object per line). Every event written inside a
/// request or a traced operation carries its W3C trace and span ids (Serilog takes them from Activity.Current):
/// <c>@tr</c>/<c>@sp</c> in JSON, the trailing <c>trace=…</c> in text.
/// </summary>
internal static class LoggingSetup
{
    public const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} trace={TraceId}{NewLine}{Exception}";

    public static IServiceCollection AddCrmLogging(this IServiceCollection services, IConfiguration configuration)
    {
        // Read now: the logger exists before the container (and its options validation) does.
        var console = configuration.GetSection(ConsoleLogOptions.Section).Get<ConsoleLogOptions>() ?? new ConsoleLogOptions();
        var format = console.FormatterName;
        if (format is not ("simple" or "json"))
        {
            throw new InvalidOperationException($"Logging:Console:FormatterName must be 'simple' or 'json', not '{format}'.");
        }

        var consoleLevel = console.MinimumLevel;
        return services.AddSerilog((sp, log) =>
        {
            log.ReadFrom.Configuration(configuration).ReadFrom.Services(sp).Enrich.FromLogContext();
            if (format == "json")
            {
                log.WriteTo.Console(new CompactJsonFormatter(), restrictedToMinimumLevel: consoleLevel);
            }
            else
            {
                log.WriteTo.Console(outputTemplate: TextTemplate, restrictedToMinimumLevel: consoleLevel,
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });
    }
}
