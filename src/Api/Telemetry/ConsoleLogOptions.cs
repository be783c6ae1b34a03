using Serilog.Events;

namespace CrmIntegration.Api.Telemetry;

/// <summary>Section "Logging:Console", the key ASP.NET Core's own console logger uses: the console sink's format and level.</summary>
internal sealed class ConsoleLogOptions
{
    public const string Section = "Logging:Console";

    /// <summary><c>simple</c> (text) or <c>json</c> (one compact JSON object per line).</summary>
    public string FormatterName { get; set; } = "simple";

    /// <summary>Lowest level the console sink writes (the <c>Serilog:MinimumLevel</c> levels apply first).</summary>
    public LogEventLevel MinimumLevel { get; set; } = LogEventLevel.Verbose;
}
