using CrmIntegration.Api.IntegrationTests.Support;

/// <summary>
/// After the whole assembly has run: no log line of any service started by the tests holds a secret, and no
/// Error entry is anything but a server fault a test provoked on purpose (<see cref="LogCapture.ExpectErrors"/>).
/// </summary>
[SetUpFixture]
public sealed class SecretsCheck
{
    [OneTimeTearDown]
    public void NoSecretInAnyLogLine() =>
        Assert.That(LogCapture.Instance.Leaks(), Is.Empty, $"of {LogCapture.Instance.Count} captured log lines");

    [OneTimeTearDown]
    public void NoErrorEntryThatIsNotARealServerFault() =>
        Assert.That(LogCapture.Instance.UnexpectedErrors()
                .GroupBy(e => $"[{e.Level}] {e.SourceContext}: {e.MessageTemplate} ({e.Event.Exception?.GetType().Name ?? "no exception"})")
                .Select(g => $"{g.Count()} x {g.Key}, e.g. {g.First().Event.RenderMessage()}").Take(30), Is.Empty,
            "Error entries are for server faults an operator must act on; a test that provokes one marks it with LogCapture.ExpectErrors");
}
