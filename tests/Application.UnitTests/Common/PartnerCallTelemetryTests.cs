using CrmIntegration.Application.UnitTests.Support;
using CrmIntegration.Infrastructure.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;
using Polly.Timeout;

namespace CrmIntegration.Application.UnitTests.Common;

/// <summary>A partner's timeout is its failure, not ours: Polly's telemetry must not log it at Error (ADR-14).</summary>
[TestFixture]
public sealed class PartnerCallTelemetryTests
{
    [Test]
    public async Task APipelineTimeout_IsLoggedAsAWarning_NotAnError()
    {
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection().AddLogging(l => l.AddProvider(logs)).AddPartnerCallTelemetry();
        services.AddResiliencePipeline("partner", b => b.AddTimeout(TimeSpan.FromMilliseconds(20)));
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline("partner");

        Assert.ThrowsAsync<TimeoutRejectedException>(async () =>
            await pipeline.ExecuteAsync(async ct => await Task.Delay(TimeSpan.FromSeconds(5), ct)));

        var polly = logs.Entries.Where(e => e.Message.Contains("OnTimeout", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(polly, Is.Not.Empty, "Polly reported the timeout");
            Assert.That(polly.Select(e => e.Level), Is.All.EqualTo(LogLevel.Warning));
        }
    }
}
