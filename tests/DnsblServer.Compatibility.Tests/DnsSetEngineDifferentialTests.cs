using System.Text;
using DnsblServer.Addressing;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Files;
using Xunit.Abstractions;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// The dnset engine against the real rbldnsd: the same random files (exact, <c>*.</c> and <c>.</c> entries,
/// exclusions of each form, every value form, default lines, several files, odd bytes in labels) loaded into
/// both, then thousands of names compared: listed or not, and the exact A and TXT values (<c>$</c> included).
/// </summary>
public sealed class DnsSetEngineDifferentialTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(11, 1, 1000)]
    [InlineData(12, 2, 400)]
    [InlineData(13, 3, 300)]
    [InlineData(14, 2, 1500)]
    [InlineData(15, 2, 1500, 97)] // sorted in chunks of 97 lines: ~30 runs merged
    [InlineData(16, 3, 300, 1)]   // every line its own run
    public void SameAnswersAsRbldnsd(int seed, int fileCount, int lines, int chunkRecords = DnsNameChunk.DefaultRecords)
    {
        RbldnsdInstance.EnsureAvailable();
        var zones = new RandomDnsSetFiles(seed);
        using var dir = new ZoneDirectory();
        var files = new List<string>();
        for (int f = 0; f < fileCount; f++) files.Add(dir.Write($"d{f}", zones.File(lines)));

        var parser = new DnsSetParser(chunkRecords);
        var context = new DatasetLoadContext(LoadOptions.Default);
        foreach (string file in files) Assert.Null(ZoneFileReader.ReadFile(file, context, parser));
        var dataset = (DnsSetDataset)parser.Finish(files, context);

        using var rbldnsd = RbldnsdInstance.Start(dir.Path, $"bl.test:dnset:{string.Join(',', files)}");
        var client = rbldnsd.CreateClient();
        var mismatches = new List<string>();
        int listed = 0;
        foreach (var labels in zones.Probes())
        {
            var reply = DnsDatasetProbe.Ask(client, labels, "bl.test", 255);
            Assert.True(reply.Authoritative, "rbldnsd dropped records for size: " + DnsDatasetProbe.Text(labels));
            string theirs = Describe(reply);
            string mine = Describe(dataset, labels);
            if (mine != "NXDOMAIN") listed++;
            if (theirs != mine) mismatches.Add($"{DnsDatasetProbe.Text(labels)}: rbldnsd [{theirs}] ours [{mine}]");
        }
        int probes = zones.Probes().Count();
        output.WriteLine($"{probes} names compared, {listed} listed, {dataset.NameCount} names loaded ({dataset.PlainCount} plain, {dataset.WildcardCount} wildcard)");
        Assert.True(probes > 1500, $"only {probes} probes");
        Assert.True(listed > probes / 5 && listed < probes * 4 / 5, $"{listed} of {probes} listed: the files do not exercise both outcomes");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {probes} differ:\n" + string.Join('\n', mismatches.Take(30)));
    }

    private static string Describe(DnsDatasetProbe.Reply reply)
    {
        if (reply.Rcode == 3) return "NXDOMAIN";
        var a = reply.Answers.Where(r => r.Type == 1).Select(r => Ip4Text.ToText((uint)(r.Rdata[0] << 24 | r.Rdata[1] << 16 | r.Rdata[2] << 8 | r.Rdata[3])));
        var txt = reply.Answers.Where(r => r.Type == 16).Select(r => DnsDatasetProbe.Latin1(r.Rdata.AsSpan(1, r.Rdata[0])));
        return $"rcode {reply.Rcode}: " + string.Join(' ', a.Distinct().Order(StringComparer.Ordinal)) + " | " + string.Join(" / ", txt.Distinct().Order(StringComparer.Ordinal));
    }

    private static string Describe(DnsSetDataset dataset, IReadOnlyList<string> labels)
    {
        byte[] wire = DnsDatasetProbe.Wire(labels, lower: true);
        if (!dataset.TryLookup(wire, out var values, out var listedName)) return "NXDOMAIN";
        var text = new byte[DnsNameText.MaxTextLength];
        byte[] substitution = text[..DnsSetDataset.FormatListedName(listedName, text)];
        var a = new SortedSet<string>(StringComparer.Ordinal);
        var txt = new SortedSet<string>(StringComparer.Ordinal);
        var buffer = new byte[300];
        foreach (var v in values)
        {
            a.Add(Ip4Text.ToText(v.A));
            int n = v.RenderTxt(substitution, buffer);
            if (n > 0) txt.Add(DnsDatasetProbe.Latin1(buffer.AsSpan(0, n)));
        }
        return "rcode 0: " + string.Join(' ', a) + " | " + string.Join(" / ", txt);
    }
}

/// <summary>
/// Random dnset files over a small name space, so that entries collide: every entry form, exclusions of
/// each form (also in other files), values of every form, default lines, upper case, trailing dots, escapes,
/// labels holding <c>$ @ ; "</c>, blanks, dots and bytes above 127, and some invalid lines. Keeps the names
/// worth asking about: each entry, its subdomains and parents, and random names.
/// </summary>
internal sealed class RandomDnsSetFiles(int seed)
{
    private static readonly string[] Labels = ["a", "b", "www", "mail", "ex-1", "Zz", "a$b", "q@r", "s;t", "d\"q", "h\u00c8i", "sp ace", "dot.in", "x"];
    private static readonly string[] Tops = ["com", "net", "Org"];
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, string[]> _probes = [];

    private string[] RandomName(int maxLabels)
    {
        int count = 1 + _random.Next(maxLabels);
        var labels = new string[count + 1];
        for (int i = 0; i < count; i++) labels[i] = Labels[_random.Next(Labels.Length)];
        labels[count] = Tops[_random.Next(Tops.Length)];
        return labels;
    }

    private void Probe(string[] labels)
    {
        if (labels.Length > 0) _probes.TryAdd(string.Join('\0', labels), labels);
    }

    public IEnumerable<string[]> Probes() => _probes.Values;

    // A label as zone-file text: dots and backslashes quoted, blanks and bytes outside ASCII as \DDD.
    private static string Escape(string label)
    {
        var sb = new StringBuilder();
        foreach (char c in label)
        {
            if (c is '.' or '\\') sb.Append('\\').Append(c);
            else if (c <= ' ' || c >= '\u007f') sb.Append($"\\{(int)c:000}");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private string Value() => RandomValues.Next(_random, comment: true, dollarEnd: true);

    public string File(int lines)
    {
        var sb = new StringBuilder();
        if (_random.Next(2) == 0) sb.Append("$1 var-one\n");
        for (int i = 0; i < lines; i++)
        {
            if (_random.Next(25) == 0) sb.Append($":{2 + _random.Next(6)}:default {i} $\n");
            if (_random.Next(60) == 0)
            {
                sb.Append(new[] { "!", ".", "*.", "bad.com :0:", "bad2.com :2 junk", "! ", "*.x :bad" }[_random.Next(7)]).Append('\n');
                continue;
            }
            string[] labels = RandomName(3);
            Probe(labels);
            Probe(["w", .. labels]);
            Probe(["a", "b", .. labels]);
            Probe(labels[1..]);
            Probe(["www", .. labels[1..]]);
            string name = string.Join('.', labels.Select(Escape));
            if (_random.Next(8) == 0) name = name.ToUpperInvariant();
            if (_random.Next(10) == 0) name += ".";
            string prefix = _random.Next(10) switch
            {
                < 4 => "",
                < 7 => "*.",
                _ => ".",
            };
            int exclusion = _random.Next(7);
            string line = exclusion == 0 ? "!" + prefix + name : exclusion == 1 && _random.Next(2) == 0 ? "! " + prefix + name : prefix + name + Value();
            sb.Append(line).Append('\n');
            if (_random.Next(40) == 0) sb.Append(line).Append('\n');
        }
        for (int i = 0; i < 300; i++) Probe(RandomName(4));
        return sb.ToString();
    }
}
