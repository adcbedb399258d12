using System.Text;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net.Dns;
using DnsblServer.Addressing;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip6;
using DnsblServer.Zones.Files;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// The ip6trie and ip6tset engines against the real rbldnsd: the same files loaded into both, then
/// thousands of addresses compared (listed or not, the exact A and TXT values), and the warnings
/// each tricky line draws.
/// </summary>
public sealed partial class Ip6EngineDifferentialTests
{
    [Theory]
    [InlineData("ip6trie", 1, 1, false)]
    [InlineData("ip6trie", 2, 2, false)]
    [InlineData("ip6trie", 3, 3, true)]
    [InlineData("ip6trie", 4, 1, true)]
    [InlineData("ip6tset", 5, 1, false)]
    [InlineData("ip6tset", 6, 3, false)]
    public void SameAnswersAsRbldnsd(string type, int seed, int fileCount, bool acceptHostBits)
    {
        RbldnsdInstance.EnsureAvailable();
        var zones = new Ip6RandomZones(seed);
        using var dir = new ZoneDirectory();
        var files = new List<string>();
        for (int f = 0; f < fileCount; f++)
        {
            dir.Write($"f{f}", type == "ip6tset" ? zones.TSetFile(1000) : zones.TrieFile(700));
            files.Add(dir.GetPath($"f{f}"));
        }
        var (dataset, _) = Load(type, files, new LoadOptions { AcceptHostBits = acceptHostBits });

        using var rbldnsd = RbldnsdInstance.Start(dir.Path, [$"bl.test:{type}:{string.Join(',', files)}"], acceptHostBits ? ["-e"] : null);
        var client = rbldnsd.CreateClient();
        var mismatches = new List<string>();
        int listed = 0;
        foreach (UInt128 address in zones.Probes.Order())
        {
            string theirs = Describe(RawDnsClient.Parse(client.Query(QueryName(address, "bl.test"), RecordType.Any) ?? throw new TimeoutException(Ip6Text.ToText(address))));
            string mine = Describe(dataset, address);
            if (theirs != "NXDOMAIN") listed++;
            if (theirs != mine) mismatches.Add($"{Ip6Text.ToText(address)}: rbldnsd [{theirs}] ours [{mine}]");
        }
        Assert.True(zones.Probes.Count > 1500, $"only {zones.Probes.Count} probes");
        Assert.True(listed > zones.Probes.Count / 10 && listed < zones.Probes.Count * 9 / 10, $"{listed} of {zones.Probes.Count} listed: the data is too one-sided to tell much");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {zones.Probes.Count} differ:\n" + string.Join('\n', mismatches.Take(30)));
    }

    // Each line alone in its own dataset: rbldnsd's warning (or none) and its answers for a few addresses.
    [Theory]
    [InlineData("ip6trie", false)]
    [InlineData("ip6trie", true)]
    [InlineData("ip6tset", false)]
    public void SameWarningsAndAnswersPerLine(string type, bool acceptHostBits)
    {
        string[] lines =
        [
            "2001:db8:c000/36 :3:pfx $", "2001:db8:1:2 :4:sixfour $", "2001:DB8:AB::1 :5:up", "::1 :6:loop $", "::", "2001", "2001/16",
            "1::2::3", ":::5", "1:::6", "2001:db8::1:", "2001:db8:1:", "1:2:3:4:5:6:7:8:9", "a:2:3:4:5:6:7:8:4:atxt", "1:2:3:4:5:6:7:8:",
            "00001:2::", "12345::", "2001:db8::fffff", "::ffff:1.2.3.4", "2001:db8::/129", "2001:db8:1::/0128", "1::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::8", "b:2:3:4:5:6:7::", "::c:2:3:4:5:6:7", "::1:2:3:4:5:6:7:8", "::1:2:3:4:5:6:7:", "2001:db8:0:10::1/64",
            "2001:db8:c000/35", "2001:db8:c000/33", "2001/0", "0/0 :9:all", "::/0", "8000::/1", "1:2:3:4:5:6:7:9/127",
            "2001:db8::11#c", "2001:db8::12;c", "2001:db8::13:4:x", "2001:db8::,", "2001:db8::1-2", "2001:db8::/", "2001:db8::/ 3",
            "2001:db8::1\r", "2001:db8::1 :3\r", "2001:db8::1 :3:crlf\r", "2001:db8::1 text $", "::1 :bad", "::1 :0:", "::1 :2 junk",
            "::g", "g::", ":", ":3:x", "!", "!:", "! ::1", "!::1 :bad", "!2001:db8::1/64", "!2001:db8:0:1", "!2001:db8:0:1::5",
            "!2001:db8:0:1::5/128", "2001:db8:0:1", "2001:db8:0:1/64", "2001:db8:0:1:", "2001:db8:0:1 :3:x", "2001:db8:0:1:3:x",
            "2001:db8:0:1 junk", "2001:db8:0", "2001:db8:0:1:0:0:0:0", "2001:db8::1:2", "0:0:0:0", "2001:db8:0:1:2:3:4:5:6",
        ];
        string[] queries =
        [
            "2001:db8:c000::1", "2001:db8:1:2::5", "2001:db8:ab::1", "::1", "::", "2001::", "1::2", "1::", "2001:db8::1", "2001:db8:1::",
            "1:2:3:4:5:6:7:8", "a:2:3:4:5:6:7:8", "1:2::", "2001:db8:0:10::1", "2001:db8:8000::", "7fff::", "1:2:3:4:5:6:7:9",
            "2001:db8::11", "2001:db8::12", "2001:db8::13", "b:2:3:4:5:6:7:0", "0:c:2:3:4:5:6:7", "0:1:2:3:4:5:6:7", "2001:db8:0:1::5",
            "2001:db8:0:1::", "2001:db8::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        ];
        RbldnsdInstance.EnsureAvailable();
        using var dir = new ZoneDirectory();
        var specs = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            dir.Write($"l{i}", lines[i] + "\n");
            specs.Add($"z{i}.test:{type}:l{i}");
        }
        var ours = new List<(Ip6Dataset Dataset, string Warnings)>();
        for (int i = 0; i < lines.Length; i++)
        {
            var (dataset, context) = Load(type, [dir.GetPath($"l{i}")], new LoadOptions { AcceptHostBits = acceptHostBits });
            ours.Add((dataset, string.Join(" | ", context.Warnings.Select(w => $"({w.Line}) {w.Message}"))));
        }
        using var rbldnsd = RbldnsdInstance.Start(dir.Path, specs, acceptHostBits ? ["-e"] : null);
        var client = rbldnsd.CreateClient();
        // stderr is read asynchronously and may lag the first answers: wait for as many warnings as we gave (or time out and show the difference)
        int expected = ours.Count(o => o.Warnings != "");
        rbldnsd.WaitForLine(_ => rbldnsd.ErrorLines.Count(l => WarningLine().IsMatch(l)) >= expected, TimeSpan.FromSeconds(3));
        Thread.Sleep(100);
        var theirWarnings = new Dictionary<int, List<string>>();
        foreach (string error in rbldnsd.ErrorLines)
        {
            var m = WarningLine().Match(error);
            if (!m.Success) continue;
            int index = int.Parse(m.Groups[1].Value);
            if (!theirWarnings.TryGetValue(index, out var list)) theirWarnings[index] = list = [];
            list.Add($"({m.Groups[2].Value}) {m.Groups[3].Value}");
        }

        var mismatches = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string theirs = string.Join(" | ", theirWarnings.GetValueOrDefault(i) ?? []);
            if (ours[i].Warnings != theirs) mismatches.Add($"{Show(lines[i])}: warnings rbldnsd [{theirs}] ours [{ours[i].Warnings}]");
            foreach (string q in queries)
            {
                UInt128 address = ParseFull(q);
                string theirAnswer = Describe(RawDnsClient.Parse(client.Query(QueryName(address, $"z{i}.test"), RecordType.Any) ?? throw new TimeoutException(q)));
                string ourAnswer = Describe(ours[i].Dataset, address);
                if (theirAnswer != ourAnswer) mismatches.Add($"{Show(lines[i])} @ {q}: rbldnsd [{theirAnswer}] ours [{ourAnswer}]");
            }
        }
        Assert.True(theirWarnings.Count > 10, "rbldnsd's warnings were not captured:\n" + rbldnsd.StandardError);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} differences:\n" + string.Join('\n', mismatches.Take(40)));
    }

    [GeneratedRegex(@"^rbldnsd: file l(\d+)\((\d+)\): (.*)$")]
    private static partial Regex WarningLine();

    private static string Show(string line) => line.Replace("\r", "\\r", StringComparison.Ordinal);

    /// <summary>Reads the files through the parser the lead will register in DatasetLoader.</summary>
    private static (Ip6Dataset Dataset, DatasetLoadContext Context) Load(string type, IReadOnlyList<string> files, LoadOptions options)
    {
        var context = new DatasetLoadContext(options);
        LineParser parser = type == "ip6tset" ? new Ip6TSetParser() : new Ip6TrieParser();
        foreach (string file in files)
        {
            var error = ZoneFileReader.ReadFile(file, context, parser);
            Assert.True(error is null, error?.ToString());
        }
        return ((Ip6Dataset)parser.Finish(files, context), context);
    }

    private static UInt128 ParseFull(string text)
    {
        int pos = 0;
        Assert.Equal(128, Ip6Text.ParsePrefix(Encoding.ASCII.GetBytes(text), ref pos, out UInt128 address));
        return address;
    }

    /// <summary>The 32 nibble labels of an address, least significant first, then the zone.</summary>
    private static string QueryName(UInt128 address, string zone)
    {
        var name = new StringBuilder(64 + zone.Length);
        for (int i = 0; i < 32; i++) name.Append("0123456789abcdef"[(int)(address >> (4 * i)) & 15]).Append('.');
        return name.Append(zone).ToString();
    }

    private static string Describe(DnsMessage message)
    {
        if (message.ReturnCode == ReturnCode.NxDomain) return "NXDOMAIN";
        var a = message.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order();
        var txt = message.AnswerRecords.OfType<TxtRecord>().Select(r => string.Concat(r.TextParts)).Order(StringComparer.Ordinal);
        return $"{message.ReturnCode} " + string.Join(' ', a) + " | " + string.Join(" / ", txt);
    }

    private static string Describe(Ip6Dataset dataset, UInt128 address)
    {
        var values = dataset.Lookup(address);
        if (values.IsEmpty) return "NXDOMAIN";
        var a = new SortedSet<string>(StringComparer.Ordinal);
        var txt = new SortedSet<string>(StringComparer.Ordinal);
        var ip = new byte[Ip6Text.MaxTextLength];
        int ipLength = Ip6Text.Format(address, ip);
        var buffer = new byte[300];
        foreach (var v in values)
        {
            a.Add(Ip4Text.ToText(v.A));
            int n = v.RenderTxt(ip.AsSpan(0, ipLength), buffer);
            if (n > 0) txt.Add(Encoding.Latin1.GetString(buffer, 0, n));
        }
        return "NoError " + string.Join(' ', a) + " | " + string.Join(" / ", txt);
    }
}
