using DnsblServer.Zones.ZoneSets;
using System.Collections.Immutable;
using System.Net;
using DnsblServer.Hosting.Configuration.Internal;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// rbldnsd's command line (<c>rbldnsd options zone:type:file[,file...]...</c>), parsed as rbldnsd 1.0pre's
/// <c>init()</c> does with glibc <c>getopt()</c> (see <see cref="Getopt"/>). Options that only make sense for a C
/// daemon that changes user, chroots or loads shared objects are refused with the reason.
/// </summary>
public static class RbldnsdCommandLine
{
    /// <summary>rbldnsd 1.0pre's getopt string (<c>strings /usr/sbin/rbldnsd</c>).</summary>
    public const string OptionString = "u:r:b:w:t:c:p:nel:qs:h46dvaAfF:Cx:X:";

    /// <summary>Help text for <c>-h</c>.</summary>
    public const string Usage = """
        Usage: DnsblServer [options] zone:type:file[,file...]...
        rbldnsd-compatible options:
         -b address[/port] - listen on this address (port 53 by default; repeatable; required
            unless Dnsbl:Listen is configured). IPv6: -b ::1/5300 or -b [::1]/5300; a host name
            (-b localhost/5300) is resolved and every address it has is bound
         -4 / -6 - IPv4 / IPv6 listen addresses only
         -w workdir - directory that relative zone file names are relative to
         -t def[:min[:max]] - default TTL (35m) and limits for TTLs from data (0 = none);
            units s, m, h, d, w
         -c check - interval between zone file change checks (1m; 0 = only on SIGHUP)
         -e - accept CIDR entries with non-zero host bits (masked off)
         -a / -A - lazy (no NS in AUTHORITY of positive answers) / not lazy (default)
         -v - version.bind answers "DnsblServer" (no version number); -v -v - version.bind is REFUSED
         -n - stay in the foreground
         -q - quick start: load zones in the background, load errors not fatal
         -p pidfile - write the process id to this file
         -l [+]logfile - log queries to this file ("-" = standard output, "+" = unbuffered)
         -s [+]statsfile - write a statistics line every check interval ("+" = deltas)
         -F facility - syslog facility name (daemon)
         -C - do not decompress gzip data files
         -f - accepted for compatibility, no effect (reloads never block queries)
         -d - dump all zones in BIND format to standard output and exit
         -h, --help - this text
        Not supported (use systemd User=, DynamicUser=, RootDirectory=, ProtectSystem= instead):
         -u user[:group], -r rootdir, -x extension, -X extarg
        Settings: --Dnsbl:Key=Value or --Dnsbl:Key Value (see appsettings.json / DNSBL__KEY variables);
        any other --word is an error.
        Dataset types: ip4set ip4tset ip4trie ip6tset ip6trie dnset combined generic acl
        """;

    /// <summary>Parses a complete rbldnsd command line: <c>-b</c> (unless <c>-d</c>) and at least one zone are required.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    public static SettingsResult Parse(IReadOnlyList<string> args) => Parse(args, baseline: null);

    /// <summary>
    /// Parses an rbldnsd command line on top of <paramref name="baseline"/> (typically from <see cref="DnsblOptions"/>):
    /// options given override it; <c>-b</c> addresses, if any, replace its listen addresses; zone arguments, if any,
    /// replace its zones; <c>-t</c> fields left out keep the baseline's values. The merged result must be complete.
    /// </summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="baseline">Settings to start from; null for rbldnsd's defaults.</param>
    public static SettingsResult Parse(IReadOnlyList<string> args, ServerSettings? baseline) => Parse(args, baseline, [], listenRequired: true);

    /// <summary>As the public overload, with <paramref name="priorErrors"/> (from the configuration) reported first; cross-checks run only when there are none.</summary>
    internal static SettingsResult Parse(IReadOnlyList<string> args, ServerSettings? baseline, IReadOnlyList<string> priorErrors, bool listenRequired)
    {
        ArgumentNullException.ThrowIfNull(args);
        Getopt.Result split = Getopt.Split(args, OptionString);
        if (split.Options.Any(o => o.Option == 'h'))
        {
            return SettingsResult.Help();
        }

        ServerSettings s = baseline ?? new ServerSettings();
        var errors = new List<string>(priorErrors);
        errors.AddRange(split.Errors);
        var listen = new List<IPEndPoint>();
        var resolved = new HashSet<IPEndPoint>(); // from host names: -4/-6 pick among them, as rbldnsd's address family hint
        uint defTtl = s.DefaultTtl, minTtl = s.MinTtl, maxTtl = s.MaxTtl;
        int versionCount = 0;
        foreach ((char option, string? value) in split.Options)
        {
            string v = value ?? "";
            switch (option)
            {
                case 'b':
                    if (ListenAddress.TryResolveRbldnsd(v, out IReadOnlyList<IPEndPoint> endpoints, out string? bindError))
                    {
                        foreach (IPEndPoint endpoint in endpoints)
                        {
                            if (!listen.Contains(endpoint))
                            {
                                listen.Add(endpoint); // rbldnsd 1.0pre ignores a repeated address/port.
                            }

                            if (endpoints.Count > 1 || !IPAddress.TryParse(v.Split('/')[0].Trim('[', ']'), out _))
                            {
                                resolved.Add(endpoint);
                            }
                        }
                    }
                    else
                    {
                        errors.Add($"-b '{v}': {bindError}");
                    }

                    break;
                case '4': s = s with { IPv4Only = true, IPv6Only = false }; break;
                case '6': s = s with { IPv4Only = false, IPv6Only = true }; break;
                case 'w': s = s with { WorkingDirectory = RequireValue(option, v, "directory", errors) }; break;
                case 'p': s = s with { PidFile = RequireValue(option, v, "file name", errors) }; break;
                case 't':
                    if (RbldnsdTime.ApplyTtl(v, ref defTtl, ref minTtl, ref maxTtl) is { } ttlError)
                    {
                        errors.Add($"-t '{v}': {ttlError}");
                    }

                    break;
                case 'c':
                    if (RbldnsdTime.TryParseInterval(v, out uint check))
                    {
                        s = s with { CheckInterval = TimeSpan.FromSeconds(check) };
                    }
                    else
                    {
                        errors.Add($"-c '{v}': invalid check interval (expected {RbldnsdTime.Syntax}; 0 disables the timer)");
                    }

                    break;
                case 'n': s = s with { Foreground = true }; break;
                case 'e': s = s with { AcceptHostBits = true }; break;
                case 'q': s = s with { Quiet = true }; break;
                case 'd': s = s with { Dump = true }; break;
                case 'f': s = s with { Fork = true }; break;
                case 'C': s = s with { NoGzip = true }; break;
                case 'a': s = s with { LazyNs = true }; break;
                case 'A': s = s with { LazyNs = false }; break;
                case 'v': versionCount++; break;
                case 'l': s = s with { QueryLog = ParseQueryLog(v) }; break;
                case 's': s = s with { StatsFile = ParseStatsFile(v) }; break;
                case 'F':
                    if (Array.IndexOf(SettingsValidator.SyslogFacilities, v) >= 0)
                    {
                        s = s with { SyslogFacility = v };
                    }
                    else
                    {
                        errors.Add($"-F '{v}': log facility is not valid (one of {string.Join(", ", SettingsValidator.SyslogFacilities)})");
                    }

                    break;
                case 'u':
                    errors.Add($"-u '{v}': not supported: DnsblServer does not switch user; start it as an unprivileged user (systemd User= or DynamicUser=)");
                    break;
                case 'r':
                    errors.Add($"-r '{v}': not supported: DnsblServer does not chroot; use systemd sandboxing (RootDirectory=, ProtectSystem=strict, ReadOnlyPaths=) and -w for the data directory");
                    break;
                case 'x':
                case 'X':
                    errors.Add($"-{option} '{v}': not supported: DnsblServer cannot load rbldnsd C extension modules");
                    break;
            }
        }

        var zones = new List<ZoneSpec>();
        foreach (string operand in split.Operands)
        {
            if (ZoneSpec.TryParse(operand, out ZoneSpec? zone, out string? zoneError))
            {
                zones.Add(zone);
            }
            else
            {
                errors.Add(zoneError);
            }
        }

        s = s with
        {
            DefaultTtl = defTtl,
            MinTtl = minTtl,
            MaxTtl = maxTtl,
            VersionMode = versionCount switch { 0 => s.VersionMode, 1 => VersionMode.Short, _ => VersionMode.Refused },
            Listen = listen.Count > 0 ? [.. listen.Where(e => !resolved.Contains(e)
                || (!s.IPv4Only || e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                   && (!s.IPv6Only || e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))] : s.Listen,
            Zones = zones.Count > 0 ? [.. zones] : s.Zones,
        };

        if (errors.Count == 0)
        {
            SettingsValidator.ValidateComplete(s, errors, listenRequired);
        }

        return errors.Count == 0 ? SettingsResult.Success(s) : SettingsResult.Failure(errors);
    }

    /// <summary>True when <paramref name="args"/> holds any rbldnsd option or zone, as opposed to nothing or only <c>--Key=Value</c> configuration overrides.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    public static bool HasRbldnsdArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Getopt.Result split = Getopt.Split(args, OptionString);
        return split.Options.Count > 0 || split.Operands.Count > 0 || split.Errors.Count > 0;
    }

    /// <summary><c>[+]file</c>: <c>+</c> = unbuffered; <c>-</c> = standard output; empty = no log (as rbldnsd).</summary>
    internal static QueryLogTarget? ParseQueryLog(string value)
    {
        bool unbuffered = value.StartsWith('+');
        string path = unbuffered ? value[1..] : value;
        return path.Length == 0 ? null : new QueryLogTarget(path, unbuffered);
    }

    /// <summary><c>[+]file</c>: <c>+</c> = relative (delta) counters; empty = no statistics file (as rbldnsd).</summary>
    internal static StatsFileTarget? ParseStatsFile(string value)
    {
        bool relative = value.StartsWith('+');
        string path = relative ? value[1..] : value;
        return path.Length == 0 ? null : new StatsFileTarget(path, relative);
    }

    private static string? RequireValue(char option, string value, string what, List<string> errors)
    {
        if (value.Length > 0)
        {
            return value;
        }

        errors.Add($"-{option}: empty {what}");
        return null;
    }
}
