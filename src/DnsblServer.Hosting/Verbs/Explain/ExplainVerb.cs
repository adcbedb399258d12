using System.Net.Sockets;
using DnsblServer.Addressing;
using DnsblServer.Hosting.Configuration;
using DnsblServer.Serving;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Verbs.Explain;

/// <summary>
/// <c>DnsblServer explain ZONE IP|NAME [options and zone specs]</c>: why an address or name is or is not listed.
/// For IPv4, prints every entry that covers the address (file:line and value) and every exemption that applies;
/// for IPv6 and domain names, what each dataset and exempt list answers alone. Always ends with the answer
/// the server would give, taken from the real resolver.
/// </summary>
internal static class ExplainVerb
{
    private const string Usage = "usage: DnsblServer explain ZONE IP|NAME [rbldnsd options and zone specs | --Dnsbl:Key=Value ...]\n";

    /// <summary>The registry entry.</summary>
    public static Verb Verb { get; } = new(
        "explain",
        "ZONE IP|NAME: every entry and exemption covering an address or name, and the answer given",
        ReadSettings,
        (args, context) => Task.FromResult(Run(args, context)));

    /// <summary>Settings as serve reads them, from the arguments after ZONE IP; no listen address needed.</summary>
    public static SettingsResult ReadSettings(string[] args, SettingsSources sources) =>
        SettingsPipeline.Build(args.Length >= 2 ? args[2..] : [], listenRequired: false, sources);

    /// <summary>Explains with the process's appsettings.json and environment.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, new VerbContext(output, error, SettingsSources.Process));

    /// <summary>Explains.</summary>
    public static int Run(string[] args, VerbContext context)
    {
        var (output, error) = (context.Output, context.Error);
        if (args is ["-h" or "--help", ..])
        {
            output.Write(Usage);
            return 0;
        }
        if (args.Length < 2)
        {
            error.Write(Usage);
            return 2;
        }
        if (ExplainTarget.Parse(args[1], out string? problem) is not { } target)
        {
            error.WriteLine("explain: " + problem);
            return 2;
        }
        string zoneName = args[0].TrimEnd('.').ToLowerInvariant();
        var result = ReadSettings(args, context.Sources);
        if (context.Report(result, Usage) is { } exit) return exit;
        var settings = result.Settings!;
        var options = settings.ToLoadOptions();
        var specs = settings.Zones.Where(z => z.Name == zoneName).ToList();
        if (specs.Count == 0)
        {
            error.WriteLine($"DnsblServer: zone '{zoneName}' is not configured (zones: {string.Join(", ", settings.Zones.Select(z => z.Name).Distinct())})");
            return 2;
        }
        var exempt = settings.Exempt.Where(e => e.AppliesTo(zoneName)).ToList();
        var resolver = new ResolverOptions { LazyNs = settings.LazyNs };
        output.WriteLine($"zone {zoneName}, {(target.Family == AddressFamily.Unspecified ? "name" : "address")} {target.Text} (query {target.QueryName(zoneName)})");
        // a keyed zone answers a known key within its quota as the zone without keys: that is the answer explained
        if (specs.RemoveAll(s => Zones.Datasets.DatasetTypes.KindOf(s.Type) == Zones.Datasets.DatasetKind.Keys) > 0)
        {
            output.WriteLine("keyed zone: the answer to a known key within its quota (the key label goes left of the zone name)");
        }
        if (!target.IsIp4)
        {
            // entries are traced to file lines for IPv4 only; here each dataset and exempt list is asked on its own
            foreach (var spec in specs)
                output.WriteLine($"{spec.Type}:{string.Join(',', spec.Files)}\n  alone answers: {Answer(new QueryProcessor(resolver, ZoneSetLoader.Load([spec], options).ZoneSet), target, zoneName)}");
            foreach (var list in exempt)
            {
                var alone = new QueryProcessor(resolver, ZoneSetLoader.Load(specs, options, exempt: [list]).ZoneSet);
                bool exempts = Answer(alone, target, zoneName).StartsWith("NXDOMAIN (not listed: the address is exempt)", StringComparison.Ordinal);
                output.WriteLine($"exempt {list.Name} ({string.Join(',', list.Files)})\n  {(exempts ? "exempts the address" : "does not cover the address")}");
            }
        }
        uint address = target.IsIp4 ? target.Ip4 : 0;
        foreach (var spec in target.IsIp4 ? specs : [])
        {
            if (spec.Type == Zones.Datasets.Combined.CombinedParser.Type)
            {
                // its entries live in subzones, and explain asks about names directly under the zone
                output.WriteLine($"{spec.Type}:{string.Join(',', spec.Files)}\n  not explained: explain does not support combined datasets (the answer below is the base zone's)");
                continue;
            }
            Trace($"{spec.Type}:{string.Join(',', spec.Files)}", spec.Type, spec.Files, address, options, output, error);
        }
        foreach (var list in target.IsIp4 ? exempt : []) Trace($"exempt {list.Name} ({string.Join(',', list.Files)})", DatasetLoader.ExemptType, list.Files, address, options, output, error);

        // pushed entries (admin API journals) are part of the answer, as in the server
        var pushed = ZoneSetLoader.OpenPushedEntries(specs, options, settings.Admin.StateDirectory);
        if (target.IsIp4) foreach (var (key, line) in pushed.Covering(address)) output.WriteLine($"pushed to {key}: {line}");
        var zones = ZoneSetLoader.Load(specs, options, exempt: exempt).ZoneSet.WithPushed(pushed); // layered, not folded: explain changes no journal
        var processor = new QueryProcessor(resolver, zones);
        output.WriteLine("answer: " + Answer(processor, target, zoneName));
        return 0;
    }

    private static void Trace(string title, string type, IReadOnlyList<string> files, uint address, LoadOptions options, TextWriter output, TextWriter error)
    {
        var matches = new List<EntryTrace>();
        var load = DatasetLoader.Load(type, files, options, entry =>
        {
            if (entry.First <= address && address <= entry.Last && (matches.Count == 0 || matches[^1].Line != entry.Line || matches[^1].File != entry.File)) matches.Add(entry);
        });
        output.WriteLine(title);
        if (load.Error is { } failure) error.WriteLine($"  load failed: {failure}");
        if (matches.Count == 0) output.WriteLine("  no entry covers the address");
        foreach (var m in matches)
        {
            string what = m.Value is { } v
                ? $"A {Ip4Text.ToText(v.A)}" + (v.Text.Length > 0 ? $", TXT \"{v.Text}\"" : "")
                : type == DatasetLoader.ExemptType ? "exempt" : "excluded";
            output.WriteLine($"  {m.File}:{m.Line}: {m.Text.Trim()}  ->  {what}");
        }
    }

    // Asks the real resolver, as a mail server would (ANY: A and TXT at once).
    private static string Answer(QueryProcessor processor, ExplainTarget target, string zone)
    {
        string name = target.QueryName(zone);
        var query = new List<byte> { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (string label in name.Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        query.AddRange([0, 0, 255, 0, 1]);
        var response = new byte[65535];
        int n = processor.Answer(query.ToArray(), response, TransportKind.Tcp, out var outcome);
        var message = Describe(response.AsSpan(0, n).ToArray());
        return outcome switch
        {
            QueryOutcome.Listed => "listed: " + message,
            QueryOutcome.Exempted => "NXDOMAIN (not listed: the address is exempt)",
            QueryOutcome.NxDomain => "not listed: " + message,
            _ => $"{outcome}: {message}",
        };
    }

    private static string Describe(byte[] response)
    {
        // A few lines decode the A and TXT answers we just wrote.
        int rcode = response[3] & 15;
        int answers = (response[6] << 8) | response[7];
        var parts = new List<string>();
        int at = 12;
        while (response[at] != 0) at += response[at] + 1;
        at += 5;
        for (int i = 0; i < answers; i++)
        {
            at += (response[at] & 0xc0) == 0xc0 ? 2 : SkipName(response, at);
            int type = (response[at] << 8) | response[at + 1];
            int length = (response[at + 8] << 8) | response[at + 9];
            var data = response.AsSpan(at + 10, length);
            if (type == 1) parts.Add($"A {data[0]}.{data[1]}.{data[2]}.{data[3]}");
            else if (type == 16) parts.Add($"TXT \"{System.Text.Encoding.Latin1.GetString(data.Slice(1, data[0]))}\"");
            at += 10 + length;
        }
        string[] names = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];
        return (rcode < names.Length ? names[rcode] : "rcode " + rcode) + (parts.Count > 0 ? ", " + string.Join(", ", parts) : "");
    }

    private static int SkipName(byte[] response, int at)
    {
        int start = at;
        while (response[at] != 0 && (response[at] & 0xc0) != 0xc0) at += response[at] + 1;
        return (response[at] == 0 ? at + 1 : at + 2) - start;
    }
}
