namespace DnsblServer.Hosting.Configuration;

/// <summary>Where <see cref="SettingsPipeline"/> reads besides the arguments; tests replace both.</summary>
public sealed record SettingsSources
{
    /// <summary>The appsettings.json file (optional: a missing file is no error).</summary>
    /// <remarks>Defaults to <c>appsettings.json</c> beside the binary.</remarks>
    public string AppSettingsPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "appsettings.json");

    /// <summary>Environment variables (<c>DNSBL__TTL</c> is <c>Dnsbl:Ttl</c>).</summary>
    /// <remarks>Defaults to <c>null</c>: the process's environment.</remarks>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>The process's appsettings.json and environment.</summary>
    public static SettingsSources Process { get; } = new();
}
