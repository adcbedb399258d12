using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// The one way every verb (serve, check, dump, explain) turns its arguments into <see cref="ServerSettings"/>.
/// Sources, lowest precedence first: built-in defaults; appsettings.json beside the binary; <c>DNSBL__*</c>
/// environment variables; <c>--Dnsbl:Key=Value</c> / <c>--Dnsbl:Key Value</c> arguments; then rbldnsd's options and
/// zone specs on top (<see cref="ServerSettingsLoader"/> says how those replace or keep configured values).
/// Any other <c>--word</c> is an error; a <c>Dnsbl:</c> key no setting reads is a warning.
/// </summary>
public static class SettingsPipeline
{
    /// <summary>Builds the settings.</summary>
    /// <param name="args">The verb's arguments (without the verb and, for explain, without ZONE IP).</param>
    /// <param name="listenRequired">True for serve: a listen address must come from <c>-b</c> or <c>Dnsbl:Listen</c>.</param>
    /// <param name="sources">appsettings.json and environment; null for the process's.</param>
    public static SettingsResult Build(IReadOnlyList<string> args, bool listenRequired, SettingsSources? sources = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        sources ??= SettingsSources.Process;
        var split = Internal.Getopt.Split(args, RbldnsdCommandLine.OptionString);
        IConfigurationRoot configuration;
        try
        {
            var builder = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(sources.AppSettingsPath), optional: true, reloadOnChange: false);
            if (sources.Environment is null) builder.AddEnvironmentVariables();
            else builder.AddInMemoryCollection(sources.Environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)));
            configuration = builder.AddInMemoryCollection(split.Overrides).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return SettingsResult.Failure([DescribeFileError(sources.AppSettingsPath, e)]);
        }

        SettingsResult result = ServerSettingsLoader.Load(args, configuration, listenRequired);
        // serve would refuse to start the admin API this way (short token, plain HTTP off loopback, bad certificate): every verb says so
        if (result.Settings?.Admin.Validate() is { } adminError) return SettingsResult.Failure([adminError]);
        var warnings = new List<string>();
        UnknownKeys(configuration.GetSection(DnsblOptions.SectionName), new DnsblOptions(), warnings);
        return result.With(warnings, configuration);
    }

    // "appsettings.json line 4: ..." rather than the provider's "Failed to load configuration from file" and a stack
    private static string DescribeFileError(string path, Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException { LineNumber: { } line } json)
            {
                string message = json.Message;
                int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
                return $"{path}:{line + 1}: invalid JSON: {(at > 0 ? message[..at] : message)}";
            }
        }
        Exception deepest = e;
        while (deepest.InnerException is not null) deepest = deepest.InnerException;
        return $"{path}: {deepest.Message}";
    }

    // Keys nothing binds (a misspelt "DefaultTtl" for "Ttl") change nothing, silently; say so. Nested sections
    // of option classes (Tcp, Metrics, Admin: IOptionsSection, whose default instances are walked) are checked too;
    // lists and dictionaries are left alone. GetType() on an IOptionsSection keeps the public properties of every
    // implementing class in the trimmed AOT server, with no suppression.
    private static void UnknownKeys(IConfigurationSection section, IOptionsSection options, List<string> warnings)
    {
        var properties = options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                warnings.Add($"unknown key {child.Path} (ignored)");
            }
            else if (property.GetIndexParameters().Length == 0 && property.GetValue(options) is IOptionsSection nested)
            {
                UnknownKeys(child, nested, warnings);
            }
        }
    }
}
