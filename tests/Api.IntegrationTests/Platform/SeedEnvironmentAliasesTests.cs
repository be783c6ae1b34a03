using CrmIntegration.Api.Configuration;
using Microsoft.Extensions.Configuration;

namespace CrmIntegration.Api.IntegrationTests.Platform;

[TestFixture]
[NonParallelizable] // sets process environment variables
public sealed class SeedEnvironmentAliasesTests
{
    [TearDown]
    public void TearDown()
    {
        foreach (var alias in SeedEnvironmentAliases.Map.Keys)
        {
            Environment.SetEnvironmentVariable(alias, null);
        }

        Environment.SetEnvironmentVariable("WeCom__CorpId", null);
    }

    [Test]
    public void EveryAlias_MapsOntoItsKey()
    {
        foreach (var alias in SeedEnvironmentAliases.Map.Keys)
        {
            Environment.SetEnvironmentVariable(alias, "value-of-" + alias);
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddSeedEnvironmentAliases().Build();

        using (Assert.EnterMultipleScope())
        {
            foreach (var (alias, key) in SeedEnvironmentAliases.Map)
            {
                Assert.That(configuration[key], Is.EqualTo("value-of-" + alias), key);
            }
        }
    }

    [Test]
    public void Alias_LosesToTheStandardVariable_AndBeatsAppSettings()
    {
        Environment.SetEnvironmentVariable("WECOM_CORP_ID", "from-alias");
        var fromFile = new Dictionary<string, string?> { ["WeCom:CorpId"] = "from-file", ["WeCom:AgentId"] = "from-file" };
        Environment.SetEnvironmentVariable("WECOM_AGENT_ID", "1000002");

        Environment.SetEnvironmentVariable("WeCom__CorpId", "from-standard");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(fromFile).AddEnvironmentVariables()
            .AddSeedEnvironmentAliases().Build();

        Assert.That(configuration["WeCom:CorpId"], Is.EqualTo("from-standard"));
        Assert.That(configuration["WeCom:AgentId"], Is.EqualTo("1000002"));
    }
}
