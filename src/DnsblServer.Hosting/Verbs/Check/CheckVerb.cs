using DnsblServer.Hosting.Configuration;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Verbs.Check;

/// <summary>
/// <c>DnsblServer check [rbldnsd options and zone specs | --Dnsbl:Key=Value ...]</c>: validates the
/// configuration and loads every zone file as <c>serve</c> would, printing every warning and error with
/// file:line (the server logs only the first 5 per dataset) and a summary per dataset. Exit codes as
/// named-checkzone's spirit: 0 all loaded (warnings allowed: rbldnsd loads such files too), 1 a dataset
/// failed to load, 2 the configuration itself is wrong.
/// </summary>
internal static class CheckVerb
{
    public const string Usage = """
        Usage: DnsblServer check [rbldnsd options] [zone:type:file[,file...]...] [--Dnsbl:Key=Value ...]
        Validates the settings serve would use (appsettings.json, DNSBL__* variables, --Dnsbl: keys, an
        rbldnsd command line; -b may be left out) and reads every zone and exempt file. Prints every
        warning and error as file:line, then one line per dataset and zone.
        Exit status: 0 all datasets load (warnings allowed), 1 a dataset fails to load, 2 bad configuration.

        """;

    /// <summary>The registry entry.</summary>
    public static Verb Verb { get; } = new(
        "check",
        "validate the configuration and every zone file; print all warnings as file:line\n(exit 0 ok, 1 a dataset fails to load, 2 bad configuration)",
        ReadSettings,
        (args, context) => Task.FromResult(Run(args, context)));

    /// <summary>Settings as serve reads them; no listen address needed (check binds nothing, a given one is still parsed).</summary>
    public static SettingsResult ReadSettings(string[] args, SettingsSources sources) => SettingsPipeline.Build(args, listenRequired: false, sources);

    /// <summary>Runs the check with the process's appsettings.json and environment.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, new VerbContext(output, error, SettingsSources.Process));

    /// <summary>Runs the check.</summary>
    public static int Run(string[] args, VerbContext context)
    {
        var (output, error) = (context.Output, context.Error);
        SettingsResult result = ReadSettings(args, context.Sources);
        if (context.Report(result, Usage, printWarnings: false) is { } exit) return exit;
        var settings = result.Settings!;
        // serve warns about these too; here they count with the zone file warnings
        foreach (string warning in result.Warnings) output.WriteLine($"configuration: warning: {warning}");
        if (settings.Zones.IsEmpty)
        {
            error.WriteLine("DnsblServer: no zones configured");
            return 2;
        }

        var options = settings.ToLoadOptions() with { MaxKeptWarnings = int.MaxValue };
        var load = ZoneSetLoader.Load(settings.Zones, options, exempt: settings.Exempt);
        int failed = 0, warnings = result.Warnings.Count;
        foreach (var report in load.Reports)
        {
            foreach (var warning in report.Warnings) output.WriteLine(Format(warning, "warning"));
            warnings += report.WarningCount;
            var dataset = load.ZoneSet.Datasets[report.Key];
            if (report.Error is { } failure)
            {
                failed++;
                output.WriteLine(Format(failure, "error"));
                output.WriteLine($"{report.Key}: FAILED, {report.WarningCount} warnings");
            }
            else
            {
                output.WriteLine($"{report.Key}: loaded, {dataset.Dataset?.EntryCount ?? 0} entries, {report.WarningCount} warnings, {report.Elapsed.TotalSeconds:0.000} s");
            }
        }
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        int expired = 0;
        foreach (var zone in load.ZoneSet.Zones)
        {
            // a $TIMESTAMP expiry already past: serve would answer SERVFAIL for the zone, as rbldnsd does
            bool isExpired = zone.Expires != 0 && zone.Expires <= now;
            if (isExpired) expired++;
            string state = !zone.IsLoaded ? "NOT SERVED (SERVFAIL)"
                : isExpired ? $"EXPIRED at {DateTimeOffset.FromUnixTimeSeconds(zone.Expires):yyyy-MM-dd HH:mm:ss}Z ($TIMESTAMP), NOT SERVED (SERVFAIL)"
                : zone.Soa is null ? "no $SOA" : $"serial {zone.Serial}";
            output.WriteLine($"zone {zone.Name}: {string.Join(' ', zone.Datasets.Select(d => d.Key))}{string.Concat(zone.ExemptLists.Select(e => " " + e.Key))}: {state}");
        }
        output.WriteLine(failed == 0 && expired == 0
            ? $"OK: {load.ZoneSet.Zones.Count} zones, {load.Reports.Count} datasets, {warnings} warnings"
            : $"FAILED: {failed} of {load.Reports.Count} datasets did not load, {expired} zone(s) expired, {warnings} warnings");
        return failed == 0 && expired == 0 ? 0 : 1;
    }

    // compiler style (file:line: severity: message), which editors and CI annotate
    private static string Format(LoadDiagnostic d, string severity) =>
        d.Line > 0 ? $"{d.File}:{d.Line}: {severity}: {d.Message}" : $"{d.File}: {severity}: {d.Message}";
}
