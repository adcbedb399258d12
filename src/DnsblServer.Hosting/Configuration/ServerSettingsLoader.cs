using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// Startup entry point: merges the <c>Dnsbl</c> configuration section and the rbldnsd command line, once, into
/// <see cref="ServerSettings"/>. Precedence, lowest first: <see cref="DnsblOptions"/> defaults; the configuration
/// (appsettings.json, <c>DNSBL__*</c> environment, <c>--Dnsbl:Key=Value</c> arguments — the caller builds it);
/// rbldnsd options and zone arguments. When there are no rbldnsd arguments and the configuration names neither
/// listen addresses nor zones, <see cref="DefaultAppSettings"/> supplies both.
/// </summary>
public static class ServerSettingsLoader
{
    /// <summary>Builds the settings.</summary>
    /// <param name="args">The process arguments (without the program name); the same array given to the configuration's command-line provider.</param>
    /// <param name="configuration">The configuration root (<see cref="SettingsPipeline"/> builds it the same way for every verb).</param>
    /// <param name="listenRequired">False for verbs that bind nothing (check, explain, dump).</param>
    public static SettingsResult Load(IReadOnlyList<string> args, IConfiguration configuration, bool listenRequired = true)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        DnsblOptions options;
        try
        {
            options = DnsblOptions.Bind(configuration);
        }
        catch (InvalidOperationException e)
        {
            return SettingsResult.Failure([e.Message]);
        }

        if (!RbldnsdCommandLine.HasRbldnsdArguments(args) && options.Listen.Count == 0 && options.Zones.Count == 0)
        {
            DnsblOptions defaults = DefaultAppSettings.CreateOptions();
            options.Listen = defaults.Listen;
            options.Zones = defaults.Zones;
            options.Exempt = defaults.Exempt;
        }

        var errors = new List<string>();
        ServerSettings baseline = options.Convert(errors);
        return RbldnsdCommandLine.Parse(args, baseline, errors, listenRequired);
    }
}
