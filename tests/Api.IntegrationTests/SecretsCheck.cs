using CrmIntegration.Api.IntegrationTests.Support;

/// <summary>After the whole assembly has run: no log line of any service started by the tests holds a secret.</summary>
[SetUpFixture]
public sealed class SecretsCheck
{
    [OneTimeTearDown]
    public void NoSecretInAnyLogLine() =>
        Assert.That(LogCapture.Instance.Leaks(), Is.Empty, $"of {LogCapture.Instance.Count} captured log lines");
}
