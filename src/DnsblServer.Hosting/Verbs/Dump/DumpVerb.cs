using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Dump;
using DnsblServer.Hosting.Verbs.Serve;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Verbs.Dump;

/// <summary>
/// <c>DnsblServer dump [options] zone:type:file...</c> (and <c>serve -d</c>, as <c>rbldnsd -d</c>): load the zones as
/// serve would, pushed entries included, and write them as a BIND master file on standard output
/// (<see cref="ZoneDumper"/>); every log line goes to standard error. Exit 0, or 1 when a dataset failed to load.
/// </summary>
internal static class DumpVerb
{
    /// <summary>The registry entry.</summary>
    public static Verb Verb { get; } = new(
        "dump",
        "print the zones as a BIND master file and exit (rbldnsd -d)",
        ReadSettings,
        (args, context) => Task.FromResult(Run(args, context)));

    /// <summary>Settings as serve reads them, no listen address needed (and, as for serve, the built-in sample when nothing is given).</summary>
    public static SettingsResult ReadSettings(string[] args, SettingsSources sources) => SettingsPipeline.Build(args, listenRequired: false, sources);

    /// <summary>Reads the settings, then dumps.</summary>
    public static int Run(string[] args, VerbContext context)
    {
        SettingsResult result = ReadSettings(args, context.Sources);
        return context.Report(result, RbldnsdCommandLine.Usage) ?? Run(result.Settings!, context);
    }

    /// <summary>Dumps the zones of <paramref name="settings"/>.</summary>
    public static int Run(ServerSettings settings, VerbContext context)
    {
        // the dump owns stdout, so every log line goes to stderr
        using var loggerFactory = ServeComposition.CreateLoggerFactory(allToStandardError: true);
        var first = ServeComposition.CreateLoading(settings, loggerFactory.CreateLogger("DnsblServer")).Load(previous: null);
        WriteExemptNotice(settings, context.Output);
        ZoneDumper.Dump(first.ZoneSet, context.Output);
        return first.Succeeded ? 0 : 1;
    }

    /// <summary>
    /// The dump is the zone data as listed; exempt lists act at query time, across datasets and at any prefix
    /// length, which a master file of octet-aligned names cannot say. So the dump leaves them unapplied and
    /// says so first, naming each list, rather than print addresses the server answers NXDOMAIN for unmarked.
    /// </summary>
    internal static void WriteExemptNotice(ServerSettings settings, TextWriter output)
    {
        if (settings.Exempt.IsEmpty) return;
        output.WriteLine("; exempt lists are NOT applied below: the server answers NXDOMAIN for their addresses in these zones");
        foreach (var list in settings.Exempt)
            output.WriteLine($"; exempt {list.Name} ({string.Join(',', list.Files)}) applies to {(list.Zones.Count == 0 ? "every zone" : string.Join(", ", list.Zones))}");
    }
}
