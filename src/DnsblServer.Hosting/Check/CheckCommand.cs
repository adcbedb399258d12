using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Serve;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Check;

/// <summary>
/// <c>DnsblServer check [rbldnsd options and zone specs | --Dnsbl:Key=Value ...]</c>: validates the
/// configuration and loads every zone file as <c>serve</c> would, printing every warning and error with
/// file:line (the server logs only the first 5 per dataset) and a summary per dataset. Exit codes as
/// named-checkzone's spirit: 0 all loaded (warnings allowed: rbldnsd loads such files too), 1 a dataset
/// failed to load, 2 the configuration itself is wrong.
/// </summary>
internal static class CheckCommand
{
    public const string Usage = """
        Usage: DnsblServer check [rbldnsd options] [zone:type:file[,file...]...] [--Dnsbl:Key=Value ...]
        Validates the settings serve would use (appsettings.json, DNSBL__* variables, --Dnsbl: keys, an
        rbldnsd command line; -b may be left out) and reads every zone and exempt file. Prints every
        warning and error as file:line, then one line per dataset and zone.
        Exit status: 0 all datasets load (warnings allowed), 1 a dataset fails to load, 2 bad configuration.

        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            output.Write(Usage);
            return 0;
        }
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine(ServeCommand.ConfigurationArguments(args))
                .Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            // a malformed appsettings.json
            error.WriteLine($"DnsblServer: configuration: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}");
            return 2;
        }
        // check binds nothing; an rbldnsd command line without -b is fine here (a given -b is still parsed)
        bool rbldnsdStyle = RbldnsdCommandLine.HasRbldnsdArguments(args);
        SettingsResult result = ServerSettingsLoader.Load(rbldnsdStyle ? ["-b", "127.0.0.1/0", .. args] : args, configuration);
        if (!result.IsSuccess)
        {
            foreach (string e in result.Errors) error.WriteLine($"DnsblServer: {e}");
            return 2;
        }
        if (Admin.AdminOptions.Bind(configuration).Validate() is { } adminError)
        {
            error.WriteLine($"DnsblServer: {adminError}"); // serve would refuse to start with this same line
            return 2;
        }
        var settings = result.Settings;
        // serve ignores keys it does not know; a typo there silently changes nothing, so say so
        var known = typeof(DnsblOptions).GetProperties().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = configuration.GetSection(DnsblOptions.SectionName).GetChildren().Where(c => !known.Contains(c.Key)).ToList();
        foreach (var key in unknown) output.WriteLine($"configuration: warning: unknown key {DnsblOptions.SectionName}:{key.Key} (ignored)");
        if (settings.Zones.IsEmpty)
        {
            error.WriteLine("DnsblServer: no zones configured");
            return 2;
        }

        var options = settings.ToLoadOptions() with { MaxKeptWarnings = int.MaxValue };
        var load = ZoneSetLoader.Load(settings.Zones, options, exempt: settings.Exempt);
        int failed = 0, warnings = unknown.Count;
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
