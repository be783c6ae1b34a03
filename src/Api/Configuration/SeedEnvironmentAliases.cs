using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace CrmIntegration.Api.Configuration;

/// <summary>
/// The seed system's environment names, read as-is. They sit just below the standard environment source,
/// so <c>WeCom__CorpId</c> wins over <c>WECOM_CORP_ID</c>, and both win over appsettings.
/// </summary>
internal static class SeedEnvironmentAliases
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["WECOM_CORP_ID"] = "WeCom:CorpId",
        ["WECOM_AGENT_ID"] = "WeCom:AgentId",
        ["WECOM_SECRET"] = "WeCom:Secret",
        ["WECOM_CALLBACK_TOKEN"] = "WeCom:Token",
        ["WECOM_ENCODING_AES_KEY"] = "WeCom:EncodingAesKey",
        ["WECOM_CALLBACK_URL"] = "WeCom:CallbackUrl",
        ["WECOM_API_BASE_URL"] = "WeCom:ApiBaseUrl",
        ["MINIPROGRAM_APPID"] = "MiniProgram:AppId",
        ["MINIPROGRAM_APPSECRET"] = "MiniProgram:AppSecret",
        ["MINIPROGRAM_CLOUD_ENV"] = "MiniProgram:CloudEnv",
        ["MINIPROGRAM_API_BASE_URL"] = "MiniProgram:ApiBaseUrl",
    };

    public static IConfigurationBuilder AddSeedEnvironmentAliases(this IConfigurationBuilder builder)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (alias, key) in Map)
        {
            if (Environment.GetEnvironmentVariable(alias) is { Length: > 0 } value)
            {
                values[key] = value;
            }
        }

        var source = new MemoryConfigurationSource { InitialData = values };
        var plainEnvironment = builder.Sources
            .Select((s, i) => (Source: s, Index: i))
            .FirstOrDefault(x => x.Source is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        if (plainEnvironment.Source is null)
        {
            builder.Sources.Add(source);
        }
        else
        {
            builder.Sources.Insert(plainEnvironment.Index, source);
        }

        return builder;
    }
}
