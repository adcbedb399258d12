using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Configuration;

/// <summary>The outcome of turning arguments and/or configuration into <see cref="ServerSettings"/>.</summary>
public sealed class SettingsResult
{
    private SettingsResult(ServerSettings? settings, IReadOnlyList<string> errors, bool showHelp)
    {
        Settings = settings;
        Errors = errors;
        ShowHelp = showHelp;
    }

    /// <summary>The settings; set exactly when <see cref="Errors"/> is empty and <see cref="ShowHelp"/> is false.</summary>
    public ServerSettings? Settings { get; }

    /// <summary>Every problem found, each naming the option, key or zone spec at fault.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Things that change nothing but are probably mistakes (an unknown <c>Dnsbl:</c> key), one line each.</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary><c>-h</c> or <c>--help</c> was given: print <see cref="RbldnsdCommandLine.Usage"/> and exit 0.</summary>
    public bool ShowHelp { get; }

    /// <summary>True when <see cref="Settings"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Settings))]
    public bool IsSuccess => Settings is not null;

    /// <summary>The configuration the settings came from (for the host's own <c>Logging</c> section); null when the caller built it.</summary>
    internal IConfiguration? Configuration { get; private init; }

    internal static SettingsResult Success(ServerSettings settings) => new(settings, [], false);

    internal static SettingsResult Failure(IReadOnlyList<string> errors) => new(null, errors.ToArray(), false);

    internal static SettingsResult Help() => new(null, [], true);

    internal SettingsResult With(IReadOnlyList<string> warnings, IConfiguration configuration) =>
        new(Settings, Errors, ShowHelp) { Warnings = warnings, Configuration = configuration };
}
