using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

/// <summary>What the group-commit tests read back: answers, request lines, and callbacks answered as stored before.</summary>
internal static class InboxAnswers
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(15);

    /// <summary>Waits (bounded) for <paramref name="count"/> request lines with <paramref name="status"/>: written as the pipeline unwinds.</summary>
    public static async Task RequestLinesAsync(int mark, int status, int count)
    {
        var deadline = DateTime.UtcNow + _bound;
        while (LogCapture.Instance.EventsSince(mark).Count(e => e.SourceContext == LogAssert.RequestLogSource && Equals(e.Property("StatusCode"), status)) < count)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"fewer than {count} request lines with {status}");
            await Task.Delay(20);
        }
    }

    /// <summary>Each answer as "status body".</summary>
    public static async Task<string[]> BodiesAsync(IEnumerable<HttpResponseMessage> responses) =>
        await Task.WhenAll(responses.Select(async r => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}"));

    /// <summary>Callbacks answered as duplicates since <paramref name="mark"/> (the use case logs each).</summary>
    public static int StoredBeforeLines(int mark) => LogCapture.Instance.EventsSince(mark)
        .Count(e => e.MessageTemplate == "WeCom callback {EventKey} was stored before; acknowledged again");
}
