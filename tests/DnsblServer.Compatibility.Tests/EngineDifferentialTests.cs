using System.Text;
using ARSoft.Tools.Net.Dns;
using DnsblServer.Addressing;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Files;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// The zone engine against the real rbldnsd: the same random files loaded into both, then
/// thousands of addresses compared — listed or not, and the exact A and TXT values.
/// </summary>
public sealed class EngineDifferentialTests
{
    [Theory]
    [InlineData("ip4set", 1, 2)]
    [InlineData("ip4set", 2, 3)]
    [InlineData("ip4set", 3, 1)]
    [InlineData("ip4trie", 4, 1)]
    [InlineData("ip4trie", 5, 2)]
    [InlineData("ip4tset", 6, 2)]
    public void SameAnswersAsRbldnsd(string type, int seed, int fileCount)
    {
        RbldnsdInstance.EnsureAvailable();
        var zones = new RandomZones(seed);
        using var dir = new ZoneDirectory();
        var files = new List<string>();
        for (int f = 0; f < fileCount; f++)
        {
            string text = type == "ip4tset" ? zones.Ip4TSetFile(300) : zones.Ip4File(400, trie: type == "ip4trie");
            dir.Write($"f{f}", text);
            files.Add(dir.GetPath($"f{f}"));
        }
        var ours = DatasetLoader.Load(type, files, LoadOptions.Default);
        Assert.True(ours.Succeeded, ours.Error?.ToString());
        var dataset = (Ip4Dataset)ours.Dataset!;

        using var rbldnsd = RbldnsdInstance.Start(dir.Path, $"bl.test:{type}:{string.Join(',', files)}");
        var client = rbldnsd.CreateClient();
        var mismatches = new List<string>();
        foreach (uint address in zones.Probes.Order())
        {
            string name = $"{address & 255}.{(address >> 8) & 255}.{(address >> 16) & 255}.{address >> 24}.bl.test";
            byte[] response = client.Query(name, RecordType.Any) ?? throw new TimeoutException(name);
            string theirs = Describe(RawDnsClient.Parse(response));
            string mine = Describe(dataset, address);
            if (theirs != mine) mismatches.Add($"{Ip4Text.ToText(address)}: rbldnsd [{theirs}] ours [{mine}]");
        }
        Assert.True(zones.Probes.Count > 500, $"only {zones.Probes.Count} probes");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {zones.Probes.Count} differ:\n" + string.Join('\n', mismatches.Take(30)));
    }

    private static string Describe(DnsMessage message)
    {
        if (message.ReturnCode == ReturnCode.NxDomain) return "NXDOMAIN";
        var a = message.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()).Order();
        var txt = message.AnswerRecords.OfType<TxtRecord>().Select(r => string.Concat(r.TextParts)).Order(StringComparer.Ordinal);
        return string.Join(' ', a) + " | " + string.Join(" / ", txt);
    }

    private static string Describe(Ip4Dataset dataset, uint address)
    {
        var values = dataset.Lookup(address);
        if (values.IsEmpty) return "NXDOMAIN";
        var a = new SortedSet<string>(StringComparer.Ordinal);
        var txt = new SortedSet<string>(StringComparer.Ordinal);
        byte[] ip = Encoding.ASCII.GetBytes(Ip4Text.ToText(address));
        var buffer = new byte[300];
        foreach (var v in values)
        {
            a.Add(Ip4Text.ToText(v.A));
            int n = v.RenderTxt(ip, buffer);
            if (n > 0) txt.Add(Encoding.Latin1.GetString(buffer, 0, n));
        }
        return string.Join(' ', a) + " | " + string.Join(" / ", txt);
    }
}
