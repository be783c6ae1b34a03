using System.Reflection;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.UserSecrets;
using Microsoft.Extensions.FileProviders;

namespace CrmIntegration.Api.Configuration;

/// <summary>
/// Development: the user-secrets file is read, and watched, even when its folder appears only after start-up.
/// <c>dotnet user-jwts create</c> writes the signing key into the project's user secrets, creating their folder the first
/// time it runs on a machine. The framework watches that folder only if it already existed when the service started
/// (otherwise it looks for <c>secrets.json</c> in the content root), so the first token would stay unknown until a restart.
/// This creates the (empty) folder, readable by the user only, and points the user-secrets source at it; the JWT options
/// follow configuration reloads (<see cref="Security.AuthenticationSetup"/>).
/// </summary>
internal static class UserSecretsWatch
{
    private const string SecretsFileName = "secrets.json";

    public static IConfigurationBuilder WatchUserSecretsFromStartUp(this IConfigurationBuilder builder, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
        {
            return builder;
        }

        var id = Assembly.Load(new AssemblyName(environment.ApplicationName)).GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId;
        return id is null ? builder : builder.WatchUserSecrets(PathHelper.GetSecretsPathFromSecretsId(id));
    }

    /// <summary>Replaces the user-secrets source (added by the host) with one that watches <paramref name="secretsPath"/>'s folder.</summary>
    internal static IConfigurationBuilder WatchUserSecrets(this IConfigurationBuilder builder, string secretsPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(secretsPath))!;
        var found = builder.Sources
            .Select((source, index) => (Source: source as JsonConfigurationSource, Index: index))
            .LastOrDefault(x => x.Source?.Path == SecretsFileName);
        if (found.Source is null || Watches(found.Source, directory))
        {
            return builder; // no user secrets (the host was told not to add them), or their folder existed at start-up
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only home (a container run as Development): the service still starts, as the framework would have it.
            // Logging is not set up yet, hence the console.
            Console.Error.WriteLine($"User secrets: cannot create {directory} ({e.Message}); a signing key dotnet user-jwts adds there later is read only after a restart.");
            return builder;
        }

        builder.Sources[found.Index] = new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(directory),
            Path = SecretsFileName,
            Optional = true,
            ReloadOnChange = found.Source.ReloadOnChange,
        };
        return builder;
    }

    private static bool Watches(JsonConfigurationSource source, string directory) =>
        source.FileProvider is PhysicalFileProvider provider
        && string.Equals(Path.TrimEndingDirectorySeparator(provider.Root), Path.TrimEndingDirectorySeparator(directory), StringComparison.Ordinal);
}
